"""Every source the workbook cites, by id. Rules, prices and scores name one of these."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Source", "get", "known"]

#: Seed line numbers refer to shared/seed/000_d5950f0e6a8597e8.txt.


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    url: str
    seed_lines: str | None = None  # "941-971" when the seed quotes it

    def citation(self) -> str:
        seed = f" (seed lines {self.seed_lines})" if self.seed_lines else ""
        return f"{self.title}{seed}"

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "title": self.title, "url": self.url}


_S3_BLOG = "https://aws.amazon.com/blogs/architecture/choosing-your-vpc-endpoint-strategy-for-amazon-s3/"
_QS_BLOG = (
    "https://aws.amazon.com/blogs/big-data/amazon-quicksight-deployment-models-for-"
    "cross-account-and-cross-region-access-to-amazon-redshift-and-amazon-rds/"
)
_CENTRAL_BLOG = (
    "https://aws.amazon.com/blogs/architecture/"
    "field-notes-how-to-scale-your-networks-on-amazon-web-services/"
)

_ALL: tuple[Source, ...] = (
    # --- the seed's blog posts -------------------------------------------------------------
    Source("seed-s3-endpoint-cost", "Choosing your VPC endpoint strategy for Amazon S3: cost",
           _S3_BLOG, "950"),
    Source("seed-s3-access-pattern",
           "Choosing your VPC endpoint strategy for Amazon S3: access pattern",
           _S3_BLOG, "951"),
    Source("seed-s3-hub-spoke-cost",
           "Choosing your VPC endpoint strategy for Amazon S3: centralised endpoints and "
           "Transit Gateway or peering charges", _S3_BLOG, "952"),
    Source("seed-s3-proxies",
           "Choosing your VPC endpoint strategy for Amazon S3: proxies for external access",
           _S3_BLOG, "951-953"),
    Source("seed-s3-bandwidth",
           "Choosing your VPC endpoint strategy for Amazon S3: bandwidth considerations",
           _S3_BLOG, "955-956"),
    Source("seed-s3-single-vpc",
           "Choosing your VPC endpoint strategy for Amazon S3: single VPC architecture",
           _S3_BLOG, "958-964"),
    Source("seed-s3-multi-vpc",
           "Choosing your VPC endpoint strategy for Amazon S3: multi-VPC centralised "
           "architecture and east-west firewall load", _S3_BLOG, "965-968"),
    Source("seed-s3-security-policy",
           "Choosing your VPC endpoint strategy for Amazon S3: security policies and "
           "endpoint policies", _S3_BLOG, "941-947"),
    Source("seed-storage-gateway-proxy",
           "AWS Storage Gateway and PrivateLink for Amazon S3: HTTP proxies as overhead and "
           "bottleneck",
           "https://aws.amazon.com/blogs/architecture/connect-amazon-s3-file-gateway-using-aws-privatelink-for-amazon-s3/",
           "244-246"),
    Source("seed-centralised-endpoints",
           "Centralising VPC interface endpoints behind Transit Gateway with Route 53 private "
           "hosted zones", _CENTRAL_BLOG, "324-332"),
    Source("seed-cross-region-resolver",
           "Cross-Region VPC endpoints with Amazon Route 53 Resolver",
           "https://aws.amazon.com/blogs/architecture/"
           "using-vpc-endpoints-in-multi-region-architectures-with-route-53-resolver/",
           "909-935"),
    # --- AWS documentation -----------------------------------------------------------------
    Source("s3-guide-privatelink",
           "Amazon S3 User Guide: AWS PrivateLink for Amazon S3 (gateway vs interface endpoints)",
           "https://docs.aws.amazon.com/AmazonS3/latest/userguide/privatelink-interface-endpoints.html"),
    Source("vpc-gateway-endpoints",
           "AWS PrivateLink Guide: gateway endpoints",
           "https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html"),
    Source("privatelink-quotas",
           "AWS PrivateLink Guide: quotas (10 Gbps per AZ, scaling to 100 Gbps)",
           "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-limits-endpoints.html"),
    Source("nat-gateway-basics",
           "Amazon VPC User Guide: NAT gateway basics (5 Gbps, scaling to 100 Gbps)",
           "https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-basics.html"),
    Source("ec2-instance-network-bandwidth",
           "Amazon EC2 User Guide: instance network bandwidth (baseline and burst)",
           "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-network-bandwidth.html"),
    Source("aws-pricing-calculator-hours",
           "AWS Pricing Calculator: 730 hours per month",
           "https://docs.aws.amazon.com/pricing-calculator/latest/userguide/"
           "pricing-assumptions.html"),
    # --- pricing pages ---------------------------------------------------------------------
    Source("pricing-privatelink", "AWS PrivateLink pricing",
           "https://aws.amazon.com/privatelink/pricing/"),
    Source("pricing-transit-gateway", "AWS Transit Gateway pricing",
           "https://aws.amazon.com/transit-gateway/pricing/"),
    Source("pricing-ec2-data-transfer", "Amazon EC2 on-demand pricing: data transfer",
           "https://aws.amazon.com/ec2/pricing/on-demand/"),
    Source("pricing-ec2-on-demand", "Amazon EC2 on-demand pricing: instances",
           "https://aws.amazon.com/ec2/pricing/on-demand/"),
    Source("pricing-vpc", "Amazon VPC pricing (NAT gateway)",
           "https://aws.amazon.com/vpc/pricing/"),
    Source("pricing-route53", "Amazon Route 53 pricing (Resolver endpoints)",
           "https://aws.amazon.com/route53/pricing/"),
    Source("pricing-vpn", "AWS Site-to-Site VPN pricing", "https://aws.amazon.com/vpn/pricing/"),
    Source("pricing-elb", "Elastic Load Balancing pricing",
           "https://aws.amazon.com/elasticloadbalancing/pricing/"),
    Source("pricing-fsx-windows", "Amazon FSx for Windows File Server pricing",
           "https://aws.amazon.com/fsx/windows/pricing/"),
    Source("ec2-optimize-cpu", "Amazon EC2 User Guide: optimize CPU options (per-vCPU prices)",
           "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/optimize-cpu.html"),
    # --- the AWS Price List (issue 19): prices refreshed by `archlib prices update` ----------
    Source("aws-price-list", "AWS Price List bulk API: the Region's offer file (its URL and "
           "SKU are on each price)",
           "https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/"
           "using-ppslong.html"),
    Source("aws-region-billing-codes", "AWS Billing: Region billing codes (usage-type "
           "prefixes: none or USE1 for us-east-1, EU for eu-west-1, APS3 for ap-south-1)",
           "https://docs.aws.amazon.com/cur/latest/userguide/aws-region-billing-codes.html"),
    # --- quicksight-connectivity (issue 3): add its sources below this line ------------------
    Source("seed-qs-enterprise",
           "QuickSight deployment models for cross-account and cross-Region access: a VPC "
           "connection needs QuickSight Enterprise edition", _QS_BLOG, "370"),
    Source("seed-qs-vpc-connection",
           "QuickSight deployment models: prepare the QuickSight VPC, subnet, security group, "
           "route table and VPC connection", _QS_BLOG, "374-405"),
    Source("seed-qs-non-overlapping-cidr",
           "QuickSight deployment models: the QuickSight VPC CIDR must differ from the data "
           "source VPC's", _QS_BLOG, "375-376"),
    Source("seed-qs-peering",
           "QuickSight deployment models: VPC peering across organizations or Regions, DNS "
           "resolution, routes and security groups on both sides", _QS_BLOG, "408-437"),
    Source("seed-qs-tgw",
           "QuickSight deployment models: Transit Gateway where policy limits peering; same "
           "organization and Region, or peered transit gateways", _QS_BLOG, "438-467"),
    Source("seed-qs-self-managed-privatelink",
           "QuickSight deployment models: self-managed PrivateLink relies on the data source "
           "ENI's IP, which may change and break dashboard refreshes", _QS_BLOG, "468-471"),
    Source("seed-qs-redshift-endpoint",
           "QuickSight deployment models: Redshift-managed VPC endpoint, RA3 only, across "
           "accounts", _QS_BLOG, "470-481"),
    Source("seed-qs-vpc-sharing",
           "QuickSight deployment models: VPC sharing within one organization and Region, the "
           "most cost-effective model", _QS_BLOG, "372, 482-488"),
    Source("seed-qs-connect",
           "QuickSight deployment models: connect QuickSight to the data source through the "
           "VPC connection", _QS_BLOG, "489-499"),
    Source("seed-qs-summary-table",
           "QuickSight deployment models: summary table of preferred models (cells lost in "
           "extraction)", _QS_BLOG, "503-514"),
    Source("quicksight-vpc",
           "Amazon QuickSight User Guide: connecting to a VPC (Enterprise edition)",
           "https://docs.aws.amazon.com/quicksight/latest/user/working-with-aws-vpc.html"),
    Source("redshift-managed-endpoints",
           "Amazon Redshift Management Guide: Redshift-managed VPC endpoints (grantor and "
           "grantee accounts, RA3)",
           "https://docs.aws.amazon.com/redshift/latest/mgmt/managing-cluster-cross-vpc.html"),
    Source("vpc-sharing-guide", "Amazon VPC User Guide: share your VPC subnets with other "
           "accounts (AWS RAM, same organization)",
           "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-sharing.html"),
    Source("vpc-peering-limitations",
           "Amazon VPC Peering Guide: limitations (no overlapping CIDRs, not transitive, "
           "security group references only within a Region)",
           "https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html"),
    Source("tgw-vpc-attachments", "Amazon VPC Transit Gateways: VPC attachments and routing",
           "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html"),
    Source("privatelink-endpoint-services",
           "AWS PrivateLink Guide: share your services (Network Load Balancer, endpoint "
           "service, only the service is reachable)",
           "https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-share-your-services.html"),
    Source("blog-privatelink-cross-region",
           "Introducing cross-Region connectivity for AWS PrivateLink (peering and Transit "
           "Gateway need non-overlapping CIDRs and a network trust boundary)",
           "https://aws.amazon.com/blogs/networking-and-content-delivery/"
           "introducing-cross-region-connectivity-for-aws-privatelink/"),
    # quicksight-connectivity (issue 14)
    Source("redshift-endpoint-pricing",
           "Amazon Redshift Management Guide: Redshift-managed VPC endpoints, \"For information "
           "about pricing, see AWS PrivateLink pricing\"",
           "https://docs.aws.amazon.com/redshift/latest/mgmt/managing-cluster-cross-vpc.html"),
    # --- vmware-sddc (issue 4): add its sources below this line -------------------------------
    Source("seed-vmc-connected-vpc",
           "Integrating native AWS services with VMware Cloud on AWS: the connected VPC "
           "(configured at deployment; no transitive routing to other VPCs or the internet)",
           "https://aws.amazon.com/blogs/architecture/"
           "integrating-native-aws-services-with-vmware-cloud-on-aws/", "709-711"),
    Source("seed-vmc-multi-vpc",
           "Integrating native AWS services with VMware Cloud on AWS: two options for VPCs in "
           "multiple accounts in the same Region",
           "https://aws.amazon.com/blogs/architecture/"
           "integrating-native-aws-services-with-vmware-cloud-on-aws/", "712"),
    Source("seed-vmc-transit-connect",
           "Integrating native AWS services with VMware Cloud on AWS: VMware Transit Connect "
           "(VTGW), a VMware-managed Transit Gateway for SDDC groups and same-Region VPCs",
           "https://aws.amazon.com/blogs/architecture/"
           "integrating-native-aws-services-with-vmware-cloud-on-aws/", "714-715"),
    Source("seed-vmc-tgw-vpn",
           "Integrating native AWS services with VMware Cloud on AWS: IPsec VPN from the SDDC "
           "to an existing Transit Gateway, BGP routing, ECMP across tunnels",
           "https://aws.amazon.com/blogs/architecture/"
           "integrating-native-aws-services-with-vmware-cloud-on-aws/", "717"),
    Source("seed-vmc-transit-vpc",
           "Integrating native AWS services with VMware Cloud on AWS: a Transit VPC attached to "
           "the VTGW and the existing Transit Gateway, routes configured manually",
           "https://aws.amazon.com/blogs/architecture/"
           "integrating-native-aws-services-with-vmware-cloud-on-aws/", "719"),
    Source("seed-vmc-s3",
           "Integrating native AWS services with VMware Cloud on AWS: S3 through the gateway "
           "endpoint in the connected VPC avoids VTGW and PrivateLink processing costs",
           "https://aws.amazon.com/blogs/architecture/"
           "integrating-native-aws-services-with-vmware-cloud-on-aws/", "724"),
    Source("seed-vmc-file-services",
           "Integrating native AWS services with VMware Cloud on AWS: EFS and FSx in the "
           "connected VPC; shares in other VPCs through VTGW after weighing transfer costs",
           "https://aws.amazon.com/blogs/architecture/"
           "integrating-native-aws-services-with-vmware-cloud-on-aws/", "725"),
    Source("seed-vmc-elb",
           "Integrating native AWS services with VMware Cloud on AWS: ELB in a subnet reachable "
           "from the SDDC; VTGW for a dedicated internet ingress/egress VPC; internal ELB",
           "https://aws.amazon.com/blogs/architecture/"
           "integrating-native-aws-services-with-vmware-cloud-on-aws/", "729-730"),
    Source("seed-vmc-databases",
           "Integrating native AWS services with VMware Cloud on AWS: databases (RDS, Redshift) "
           "in the connected VPC, existing ones elsewhere through VTGW",
           "https://aws.amazon.com/blogs/architecture/"
           "integrating-native-aws-services-with-vmware-cloud-on-aws/", "734-737"),
    Source("seed-vmc-analytics",
           "Integrating native AWS services with VMware Cloud on AWS: interface endpoints for "
           "analytics services in the connected VPC",
           "https://aws.amazon.com/blogs/architecture/"
           "integrating-native-aws-services-with-vmware-cloud-on-aws/", "738"),
    Source("seed-tgw-vpn-tunnel-bandwidth",
           "Field Notes: how to scale your networks on AWS: a Site-to-Site VPN has two tunnels "
           "of 1.25 Gbps each; ECMP with BGP across VPNs", _CENTRAL_BLOG, "298-310"),
    Source("seed-cross-az-both-directions",
           "Improving performance and reducing cost using Availability Zone Affinity: data "
           "transfer between AZs is charged in both directions",
           "https://aws.amazon.com/blogs/architecture/"
           "improving-performance-and-reducing-cost-using-availability-zone-affinity/", "521"),
    Source("vmc-connected-vpc-designlet",
           "VMware Cloud Tech Zone, Designlet: Connected VPC to native AWS (no-cost same-AZ "
           "transfer; cross-AZ subject to data transfer charges)",
           "https://vmc.techzone.vmware.com/resource/"
           "designlet-vmware-cloud-aws-connected-vpc-native-aws"),
    Source("vmc-vpn-tunnel-limit",
           "VMware Transit Connect and SDDC grouping (VMware): at most 4 VPN tunnels to a "
           "Transit Gateway terminate in an SDDC, ECMP on both sides; Transit Connect up to "
           "50 Gbps", "https://www.gilles.cloud/2020/06/vmware-cloud-on-aws-managed-transit.html"),
    Source("vmc-ipsec-vpn-designlet",
           "VMware Cloud Tech Zone, Designlet: SDDC connectivity with IPsec VPN (BGP over "
           "route-based VPN; SDDC internet egress billed by VMware)",
           "https://vmc.techzone.vmware.com/resource/"
           "designlet-vmware-cloud-aws-sddc-connectivity-ipsec-vpn"),
    Source("vmc-transit-connect-designlet",
           "VMware Cloud Tech Zone, Designlet: VMware Transit Connect (SDDC groups, VPC and "
           "Transit Gateway attachments, routes to native AWS objects)",
           "https://vmc.techzone.vmware.com/resource/"
           "designlet-vmware-transit-connect-vmware-cloud-aws"),
    # --- sqlserver-ha-dr (issue 5): add its sources below this line ---------------------------
    # The seed's SQL Server post (one URL), by passage.
    *(Source(source_id, f"SQL Server HA and DR with FCI and SIOS DataKeeper: {topic}",
             "https://aws.amazon.com/blogs/architecture/field-notes-implementing-ha-and-dr-"
             "for-microsoft-sql-server-using-always-on-failover-cluster-instance-and-sios-"
             "datakeeper/", lines)
      for source_id, topic, lines in (
          ("seed-sqlserver-ha-options", "FCI or availability groups, synchronous between AZs, "
           "asynchronous between Regions", "821-822"),
          ("seed-sqlserver-choice", "hundreds of databases, avoiding Enterprise edition or "
           "protecting system databases favour an FCI; owned Enterprise licences favour "
           "availability groups", "823"),
          ("seed-sqlserver-fsx", "FSx for Windows is the recommended FCI storage but cannot "
           "add cluster nodes in other Regions", "824"),
          ("seed-sios-datakeeper", "host-based block replication, synchronous between AZs, "
           "asynchronous between Regions", "825-832"),
          ("seed-sqlserver-multi-subnet", "one subnet per node, a primary and two secondary "
           "IPs each (multi-subnet cluster)", "842-845"),
          ("seed-sqlserver-cluster-build", "join the domain, install Failover Clustering, "
           "Test-Cluster, New-Cluster", "846-851"),
          ("seed-sqlserver-witness", "a file share witness for quorum, on FSx for Windows or "
           "another domain-joined server", "853"),
          ("seed-sios-mirror-jobs", "install DataKeeper, intent log on the ephemeral drive, "
           "synchronous and asynchronous mirror jobs", "856-893"),
          ("seed-sqlserver-dr-node", "install SQL Server on the DR node only with Enterprise "
           "edition", "894-897"),
          ("seed-sqlserver-client-redirection", "client redirection (MultiSubnetFailover, "
           "RegisterAllProvidersIP, HostRecordTTL)", "899-903"),
      )),
    Source("seed-dr-rto-rpo",
           "Disaster recovery on AWS: RTO and RPO defined (seed passage; AWS whitepaper "
           "Disaster Recovery of Workloads on AWS)",
           "https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/"
           "disaster-recovery-options-in-the-cloud.html", "546"),
    Source("fsx-windows-sql-server",
           "Amazon FSx for Windows File Server User Guide: using FSx with Microsoft SQL Server "
           "(continuously available shares for FCI)",
           "https://docs.aws.amazon.com/fsx/latest/WindowsGuide/sql-server.html"),
    Source("fsx-windows-multi-az",
           "Amazon FSx for Windows File Server User Guide: Multi-AZ file systems (synchronous "
           "replication between AZs, automatic failover)",
           "https://docs.aws.amazon.com/fsx/latest/WindowsGuide/high-availability-multiAZ.html"),
    Source("fsx-windows-limits",
           "Amazon FSx for Windows File Server User Guide: quotas (SSD storage 32-65,536 GiB "
           "per file system)",
           "https://docs.aws.amazon.com/fsx/latest/WindowsGuide/limits.html"),
    Source("aws-sqlserver-ec2-best-practices",
           "AWS Prescriptive Guidance: best practices for deploying SQL Server on Amazon EC2",
           "https://docs.aws.amazon.com/prescriptive-guidance/latest/"
           "sql-server-ec2-best-practices/welcome.html"),
    Source("aws-microsoft-licensing",
           "AWS and Microsoft licensing: licence-included and bring-your-own SQL Server "
           "licences (License Mobility through Software Assurance)",
           "https://aws.amazon.com/windows/resources/licensing/"),
    Source("ms-basic-ag",
           "Microsoft Learn: basic availability groups (Standard edition: two replicas, one "
           "database, no distributed availability group)",
           "https://learn.microsoft.com/en-us/sql/database-engine/availability-groups/windows/"
           "basic-availability-groups-always-on-availability-groups"),
    Source("ms-sql-editions",
           "Microsoft Learn: editions and supported features of SQL Server (Standard: "
           "two-node failover cluster instances)",
           "https://learn.microsoft.com/en-us/sql/sql-server/"
           "editions-and-components-of-sql-server-2022"),
    Source("ms-ag-overview",
           "Microsoft Learn: what is an Always On availability group (user databases, "
           "synchronous and asynchronous commit, listeners)",
           "https://learn.microsoft.com/en-us/sql/database-engine/availability-groups/windows/"
           "overview-of-always-on-availability-groups-sql-server"),
    Source("ms-ag-restrictions",
           "Microsoft Learn: availability group prerequisites, restrictions and recommendations "
           "(system databases excluded; tested with 100 databases per instance)",
           "https://learn.microsoft.com/en-us/sql/database-engine/availability-groups/windows/"
           "prereqs-restrictions-recommendations-always-on-availability"),
    Source("ms-ag-failover",
           "Microsoft Learn: failover and failover modes of availability groups",
           "https://learn.microsoft.com/en-us/sql/database-engine/availability-groups/windows/"
           "failover-and-failover-modes-always-on-availability-groups"),
    Source("ms-distributed-ag",
           "Microsoft Learn: distributed availability groups (one group per cluster, manual "
           "failover, a listener per group)",
           "https://learn.microsoft.com/en-us/sql/database-engine/availability-groups/windows/"
           "distributed-availability-groups"),
    Source("ms-cluster-thresholds",
           "Microsoft: tuning failover cluster network thresholds (CrossSubnetDelay 1 s, "
           "CrossSubnetThreshold 20 on Windows Server 2016 and later)",
           "https://techcommunity.microsoft.com/blog/failoverclustering/"
           "tuning-failover-cluster-network-thresholds/371834"),
    Source("ms-target-recovery-time",
           "Microsoft Learn: database checkpoints (indirect checkpoints, 60 s target recovery "
           "time for databases created on SQL Server 2016 and later)",
           "https://learn.microsoft.com/en-us/sql/relational-databases/logs/"
           "database-checkpoints-sql-server"),
    Source("sios-marketplace",
           "SIOS DataKeeper Cluster Edition in AWS Marketplace (licence price per node)",
           "https://aws.amazon.com/marketplace/search/results?searchTerms=SIOS+DataKeeper"),
    Source("pricing-ebs", "Amazon EBS pricing (gp3 storage per GB-month)",
           "https://aws.amazon.com/ebs/pricing/"),
    # --- s3-endpoints (issue 14) -----------------------------------------------------------
    Source("vpc-gateway-route-tables",
           "Amazon VPC User Guide: gateway route tables (traffic entering through a virtual "
           "private gateway routes only to targets inside the VPC's CIDR, never to a NAT "
           "gateway)",
           "https://docs.aws.amazon.com/vpc/latest/userguide/gateway-route-tables.html"),
    Source("vpc-centralized-egress",
           "Building a Scalable and Secure Multi-VPC AWS Network Infrastructure: centralized "
           "egress (Transit Gateway attachments routed to NAT gateways in an egress VPC)",
           "https://docs.aws.amazon.com/whitepapers/latest/"
           "building-scalable-secure-multi-vpc-network-infrastructure/"
           "centralized-egress-to-internet.html"),
    Source("privatelink-cross-region-services",
           "AWS PrivateLink Guide: cross-Region enabled AWS services (Amazon S3 reached "
           "through an interface endpoint in another Region)",
           "https://docs.aws.amazon.com/vpc/latest/privatelink/"
           "aws-services-cross-region-privatelink-support.html"),
    Source("route53-resolver-endpoints",
           "Amazon Route 53 Developer Guide: inbound and outbound Resolver endpoints (two or "
           "more IP addresses each, priced per IP address)",
           "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-choose-vpc.html"),
    Source("vpc-quotas-peering",
           "Amazon VPC quotas: active VPC peering connections per VPC (50 by default, up to "
           "125)", "https://docs.aws.amazon.com/general/latest/gr/vpc-service.html"),
    Source("whitepaper-vpc-peering",
           "Building a Scalable and Secure Multi-VPC AWS Network Infrastructure: VPC peering "
           "(free within an AZ, in-Region rates across AZs, inter-Region rates across Regions)",
           "https://docs.aws.amazon.com/whitepapers/latest/"
           "building-scalable-secure-multi-vpc-network-infrastructure/vpc-peering.html"),
    # --- the workbook's own conventions --------------------------------------------------
    Source("archlib-scoring",
           "archlib scoring method: fixed value scales per criterion (multi-attribute value "
           "theory), weighted sum, Pareto, firmness verdict", "README.md#scoring"),
    # --- the scoring method's literature ---------------------------------------------------
    Source("keeney-raiffa-1976",
           "Keeney, R. L. and Raiffa, H. (1976). Decisions with Multiple Objectives: "
           "Preferences and Value Tradeoffs. Wiley (Cambridge University Press reissue, "
           "1993): additive value functions", "https://doi.org/10.1017/CBO9781139174084"),
    Source("belton-stewart-2002",
           "Belton, V. and Stewart, T. J. (2002). Multiple Criteria Decision Analysis: An "
           "Integrated Approach. Kluwer/Springer, ch. 5: value functions; local (min-max) "
           "scales and rank reversal, global scales with fixed anchors",
           "https://doi.org/10.1007/978-1-4615-1495-4"),
    Source("archlib-prices", "archlib price file (archlib/data/prices/<region>.yaml), "
           "transcribed from the AWS pricing pages each item names",
           "archlib/data/prices/us-east-1.yaml"),
    Source("archlib-override", "Scenario price override (the scenario file's `prices:`)",
           "README.md#scenario-files"),
    # --- vmware-sddc (issue 15) ---------------------------------------------------------------
    Source("vpn-tunnel-bandwidth",
           "AWS Site-to-Site VPN User Guide: tunnel bandwidth options (Standard up to 1.25 Gbps, "
           "Large up to 5 Gbps per tunnel; Large on Transit Gateway or Cloud WAN only, set per "
           "connection for both tunnels)",
           "https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNTunnels.html"),
    Source("aws-sap-rise-vpn",
           "AWS for SAP guide: Connecting to RISE using AWS VPN (Large Bandwidth Tunnel up to "
           "5 Gbps per tunnel, $0.60 per VPN connection-hour in US East (Ohio); pricing examples "
           "1 and 2)",
           "https://docs.aws.amazon.com/sap/latest/general/rise-connection-vpn.html"),
    Source("tgw-quotas-bandwidth",
           "Amazon VPC Transit Gateways: quotas, bandwidth (up to 100 Gbps per Availability Zone "
           "per VPC attachment)",
           "https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-quotas.html#bandwidth-quotas"),
    Source("vmc-sddc-vpn-egress",
           "VMware Cloud on AWS: data leaving the SDDC over its IPsec VPN is SDDC egress, "
           "billed by VMware (rate not published with the sources; AWS bills Site-to-Site VPN "
           "transfer out at EC2 data transfer rates)",
           "https://vmc.techzone.vmware.com/resource/"
           "designlet-vmware-cloud-aws-sddc-connectivity-ipsec-vpn"),
    # --- sqlserver-ha-dr (issue 15) -------------------------------------------------------
    Source("fsx-windows-performance",
           "Amazon FSx for Windows File Server User Guide: performance (throughput capacity "
           "levels 32-12,288 MBps, 4,608 MBps and up in six Regions; minimum recommended "
           "throughput by storage; Multi-AZ write limit at 9,216 and 12,288 MBps)",
           "https://docs.aws.amazon.com/fsx/latest/WindowsGuide/performance.html"),
    Source("aws-license-conversion",
           "AWS License Manager User Guide: license type conversion (switching an EC2 "
           "instance between licence-included and BYOL SQL Server and Windows)",
           "https://docs.aws.amazon.com/license-manager/latest/userguide/license-conversion.html"),
    Source("ms-cluster-quorum-nodeweight",
           "Microsoft Learn: configure cluster quorum NodeWeight settings (remove the votes of "
           "nodes at a disaster recovery site)",
           "https://learn.microsoft.com/en-us/sql/sql-server/failover-clusters/windows/"
           "configure-cluster-quorum-nodeweight-settings"),
    Source("ms-ag-forced-failover",
           "Microsoft Learn: perform a forced manual failover of an availability group (with "
           "possible data loss, for disaster recovery)",
           "https://learn.microsoft.com/en-us/sql/database-engine/availability-groups/windows/"
           "perform-a-forced-manual-failover-of-an-availability-group-sql-server"),
    # --- egress-inspection (issue 22) ------------------------------------------------------
    Source("seed-tgw-routing-domains",
           "Field Notes: how to scale your networks on AWS: routing domains (separate Transit "
           "Gateway route tables, default association and propagation off, ECMP, unique ASN)",
           _CENTRAL_BLOG, "286-303"),
    Source("seed-tgw-attachment-bandwidth",
           "Field Notes: how to scale your networks on AWS: Transit Gateway attachments, up to "
           "50 Gbps per VPC, Direct Connect gateway or peering attachment (the current quota "
           "is 100 Gbps per AZ)", _CENTRAL_BLOG, "288"),
    Source("seed-centralise-shared",
           "Field Notes: how to scale your networks on AWS: centralise NAT gateways, endpoints "
           "and firewalls every VPC would otherwise build; if more than one VPC requires "
           "access to the same resource, centralise it", _CENTRAL_BLOG, "320-322, 364-365"),
    Source("seed-security-egress-vpc",
           "Field Notes: how to scale your networks on AWS: the security-egress VPC (Gateway "
           "Load Balancer, at least two firewall instances over AZs, GWLB endpoints, NAT "
           "gateways, a Transit Gateway attachment with appliance mode)",
           _CENTRAL_BLOG, "333-345"),
    Source("seed-security-egress-routing",
           "Field Notes: how to scale your networks on AWS: security-egress route tables and "
           "the Transit Gateway route tables that send every spoke's default route to it",
           _CENTRAL_BLOG, "346-357"),
    Source("seed-msr-targets",
           "Amazon VPC routing enhancements: routes more specific than the local route, to an "
           "appliance, a GWLB endpoint or a Network Firewall endpoint",
           "https://aws.amazon.com/blogs/aws/"
           "inspect-subnet-to-subnet-traffic-with-amazon-vpc-more-specific-routing/", "654-657"),
    Source("seed-msr-dedicated-subnets",
           "Amazon VPC routing enhancements: the appliance sits in its own subnet, not the "
           "source or destination subnet; the smallest subnet is /28",
           "https://aws.amazon.com/blogs/aws/"
           "inspect-subnet-to-subnet-traffic-with-amazon-vpc-more-specific-routing/",
           "658, 699-701"),
    Source("seed-msr-both-directions",
           "Amazon VPC routing enhancements: a more-specific route is needed in both "
           "directions",
           "https://aws.amazon.com/blogs/aws/"
           "inspect-subnet-to-subnet-traffic-with-amazon-vpc-more-specific-routing/", "664-669"),
    Source("seed-msr-security-groups",
           "Amazon VPC routing enhancements: security groups must allow the appliance's "
           "traffic",
           "https://aws.amazon.com/blogs/aws/"
           "inspect-subnet-to-subnet-traffic-with-amazon-vpc-more-specific-routing/", "702"),
    Source("seed-msr-no-cost",
           "Amazon VPC routing enhancements: more-specific routing has no additional cost",
           "https://aws.amazon.com/blogs/aws/"
           "inspect-subnet-to-subnet-traffic-with-amazon-vpc-more-specific-routing/", "703"),
    Source("whitepaper-egress-network-firewall",
           "Building a Scalable and Secure Multi-VPC AWS Network Infrastructure: using a NAT "
           "gateway with AWS Network Firewall (one endpoint per AZ, about 100 Gbps each, NAT "
           "charges waived one-to-one, no appliance mode for egress-only inspection, "
           "HOME_NET, distributed endpoints through Firewall Manager)",
           "https://docs.aws.amazon.com/whitepapers/latest/"
           "building-scalable-secure-multi-vpc-network-infrastructure/"
           "using-nat-gateway-with-firewall.html"),
    Source("nfw-tgw-appliance-mode",
           "AWS Network Firewall Developer Guide: multi-AZ deployment with Transit Gateway "
           "(appliance mode keeps a flow on one AZ when endpoints filter other AZs' traffic)",
           "https://docs.aws.amazon.com/network-firewall/latest/developerguide/"
           "vpc-config-tgw-multi-az.html"),
    Source("tgw-how-it-works",
           "Amazon VPC Transit Gateways: how transit gateways work (AZ affinity by default; "
           "appliance mode)",
           "https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html"),
    Source("elb-cross-zone-kc",
           "AWS re:Post knowledge center: ELB DNS and cross-zone balance configuration "
           "(Gateway and Network Load Balancers: cross-zone load balancing off by default)",
           "https://repost.aws/knowledge-center/elb-dns-cross-zone-balance-configuration"),
    Source("pricing-network-firewall", "AWS Network Firewall pricing",
           "https://aws.amazon.com/network-firewall/pricing/"),
    # --- az-affinity (issue 22) ------------------------------------------------------------
    Source("seed-azaff-foo-service",
           "Improving performance and reducing cost using Availability Zone Affinity: the foo "
           "service (ALBs always use cross-zone load balancing; up to eight AZ traversals, p50 "
           "8 ms processing + 8 x 1.5 ms)",
           "https://aws.amazon.com/blogs/architecture/"
           "improving-performance-and-reducing-cost-using-availability-zone-affinity/", "522-524"),
    Source("seed-azaff-nlb",
           "Improving performance and reducing cost using Availability Zone Affinity: an NLB "
           "with cross-zone off and a DNS record per AZ ID (four traversals, about 40% less "
           "data transfer, 7.2 ms of p50 network latency)",
           "https://aws.amazon.com/blogs/architecture/"
           "improving-performance-and-reducing-cost-using-availability-zone-affinity/", "527-529"),
    Source("seed-azaff-cloud-map",
           "Improving performance and reducing cost using Availability Zone Affinity: AWS Cloud "
           "Map discovery filtered to the client's AZ, no load balancer",
           "https://aws.amazon.com/blogs/architecture/"
           "improving-performance-and-reducing-cost-using-availability-zone-affinity/", "531-532"),
    Source("seed-azaff-resiliency",
           "Improving performance and reducing cost using Availability Zone Affinity: pinned "
           "clients retry with exponential backoff in other AZs or break the circuit, best as "
           "a client library", "https://aws.amazon.com/blogs/architecture/"
           "improving-performance-and-reducing-cost-using-availability-zone-affinity/", "535-538"),
    Source("seed-azaff-scope",
           "Improving performance and reducing cost using Availability Zone Affinity: not for "
           "every workload; the latencies are t4g.small ping results, not guarantees; measure "
           "with X-Ray and CloudWatch", "https://aws.amazon.com/blogs/architecture/"
           "improving-performance-and-reducing-cost-using-availability-zone-affinity/", "540-542"),
    Source("alb-cross-zone-target-groups",
           "Application Load Balancers: cross-zone load balancing for target groups (always on "
           "for the load balancer, can be turned off per target group)",
           "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/"
           "disable-cross-zone.html"),
    Source("nlb-cross-zone-target-groups",
           "Network Load Balancers: cross-zone load balancing for target groups (off by "
           "default; when on, EC2 data transfer charges apply; off, each AZ needs capacity of "
           "its own)",
           "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/"
           "target-group-cross-zone.html"),
    Source("nlb-zonal-dns",
           "AWS Networking blog: resolve DNS names of Network Load Balancer nodes to limit "
           "cross-zone traffic (the Regional name returns every AZ's node; zonal names are "
           "prefixed by AZ name, which maps to different AZs in different accounts)",
           "https://aws.amazon.com/blogs/networking-and-content-delivery/"
           "resolve-dns-names-of-network-load-balancer-nodes-to-limit-cross-zone-traffic/"),
    Source("cloud-map-throttling",
           "AWS Cloud Map Developer Guide: API throttling (DiscoverInstances: a bucket of "
           "2,000 tokens refilled at 1,000 per second, per account per Region)",
           "https://docs.aws.amazon.com/cloud-map/latest/dg/throttling.html"),
    Source("pricing-cloud-map", "AWS Cloud Map pricing",
           "https://aws.amazon.com/cloud-map/pricing/"),
    # --- hybrid-connectivity (issue 22) ------------------------------------------------------
    Source("pricing-directconnect",
           "AWS Direct Connect pricing (dedicated ports 1-400 Gbps, hosted connections 50 Mbps-"
           "25 Gbps, data transfer out by location, data in free)",
           "https://aws.amazon.com/directconnect/pricing/"),
    Source("seed-vpn-two-tunnels",
           "Trust relationship between on-premises AD and AWS Managed AD: a Site-to-Site VPN "
           "connects to a VPC or a Transit Gateway with two tunnels per connection; dedicated or "
           "hosted Direct Connect", "https://aws.amazon.com/blogs/architecture/", "8"),
    Source("seed-tgw-hybrid-attachments",
           "Field Notes: how to scale your networks on AWS: VPN and Direct Connect gateway "
           "attachments let every attached VPC reach on-premises; 50 Gbps per VPC, DX gateway "
           "or peering attachment (the seed's figure; quotas now say 100 Gbps per AZ)",
           _CENTRAL_BLOG, "288-290"),
    Source("seed-tgw-vpn-ecmp-steps",
           "Field Notes: how to scale your networks on AWS: 10 Gbps to on-premises with four BGP "
           "VPNs on the Transit Gateway, ECMP and a unique ASN, a WAN route table and route "
           "propagation both ways", _CENTRAL_BLOG, "296-314"),
    *(Source(source_id, f"Disaster recovery for a third-party IVR on AWS: {topic}",
             "https://aws.amazon.com/blogs/architecture/", lines)
      for source_id, topic, lines in (
          ("seed-dx-location", "two connections from the Direct Connect location, the NLB in "
           "the VPC as entry point", "553-554"),
          ("seed-dx-provider-diversity", "a last-mile provider different from your ISP", "560"),
          ("seed-dx-vpn-backup", "redundancy for Direct Connect with a Site-to-Site VPN", "561"),
          ("seed-dx-bandwidth", "Direct Connect from 50 Mbps to 10 Gbps, managed and controlled "
           "latency, provisioned bandwidth (speeds since extended to 400 Gbps)", "570"),
      )),
    Source("vpc-connectivity-tgw-vpn",
           "Amazon Virtual Private Cloud Connectivity Options (whitepaper): Transit Gateway + "
           "Site-to-Site VPN (1.25 Gbps and 140,000 packets per second per tunnel, ECMP needs "
           "dynamic routing with BGP; 1.25 Gbps per IPsec tunnel on a virtual private gateway)",
           "https://docs.aws.amazon.com/whitepapers/latest/aws-vpc-connectivity-options/"
           "aws-transit-gateway-vpn.html"),
    Source("blog-scaling-vpn-tgw",
           "AWS Networking & Content Delivery blog: Scaling VPN throughput using AWS Transit "
           "Gateway (a virtual private gateway suits one VPC and uses no ECMP; ECMP across "
           "tunnels on a Transit Gateway)",
           "https://aws.amazon.com/blogs/networking-and-content-delivery/"
           "scaling-vpn-throughput-using-aws-transit-gateway/"),
    Source("tgw-quotas-vpn",
           "Amazon VPC Transit Gateways: quotas (1.25 Gbps and 140,000 packets per second per "
           "VPN tunnel; the realised bandwidth depends on the internet path)",
           "https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-quotas.html"),
    Source("vpn-ha-toolkit",
           "AWS agent toolkit, Site-to-Site VPN skill: high availability (both tunnels, a "
           "second connection on a second customer gateway; equal Weight and Local Preference "
           "on both tunnels), citing the Site-to-Site VPN User Guide",
           "https://docs.aws.amazon.com/vpn/latest/s2svpn/vpn-redundant-connection.html"),
    Source("dx-resiliency-toolkit",
           "AWS agent toolkit, Direct Connect skill: resiliency models (Maximum 99.99%: "
           "connections on separate devices at two locations; High 99.9%: one connection at "
           "each of two locations; Development and Test: no SLA), MACsec or VPN over Direct "
           "Connect for encryption",
           "https://docs.aws.amazon.com/directconnect/latest/UserGuide/resiliency_toolkit.html"),
    Source("dx-quotas",
           "AWS Direct Connect User Guide: quotas (one virtual interface per hosted connection; "
           "virtual interfaces run BGP)",
           "https://docs.aws.amazon.com/directconnect/latest/UserGuide/limits.html"),
    Source("dx-bgp-failover-test",
           "AWS Direct Connect User Guide: test failover with StartBgpFailoverTest (virtual "
           "interface failover testing)",
           "https://docs.aws.amazon.com/directconnect/latest/UserGuide/resilency_failover.html"),
    # --- dr-strategy (issue 22) ---------------------------------------------------------------
    Source("seed-dr-strategies",
           "Disaster recovery for a third-party IVR on AWS: the four DR strategies in increasing "
           "order of complexity and cost; RPO and RTO in seconds make warm standby optimal "
           "(citing the AWS whitepaper Disaster Recovery of Workloads on AWS)",
           "https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/"
           "disaster-recovery-options-in-the-cloud.html", "546-548"),
    Source("seed-dr-ivr-failover",
           "Disaster recovery for a third-party IVR on AWS: an NLB in the VPC health-checks the "
           "on-premises targets over Direct Connect and fails calls over to the always-running "
           "SBCs", "https://aws.amazon.com/blogs/architecture/", "554-568"),
    *(Source(source_id, f"Cloud disaster recovery for AWS workloads with Druva: {topic}",
             "https://aws.amazon.com/blogs/architecture/", lines)
      for source_id, topic, lines in (
          ("seed-druva-rpo-backups", "snapshots copied to DR Regions on a schedule set by the "
           "RPO, as often as every five minutes", "580, 584"),
          ("seed-druva-slo-examples", "an RPO of 24 hours with a daily backup loses up to 24 "
           "hours of data; an RTO of 30 hours", "613-614"),
          ("seed-druva-testing", "SLO-based DR plans with scheduled tests: did recovery meet "
           "the RTO and RPO?", "581, 646"),
      )),
    Source("wa-rel13-dr-strategies",
           "AWS Well-Architected Reliability Pillar REL13-BP02: use defined recovery strategies "
           "to meet the recovery objectives (backup and restore, pilot light, warm standby, "
           "multi-site active/active; not more stringent than needed)",
           "https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/"
           "rel_planning_for_recovery_disaster_recovery.html"),
)

_BY_ID: dict[str, Source] = {s.id: s for s in _ALL}
if len(_BY_ID) != len(_ALL):  # pragma: no cover - a programming error caught at import
    raise RuntimeError("duplicate source id")


def get(source_id: str) -> Source:
    try:
        return _BY_ID[source_id]
    except KeyError:
        raise KeyError(f"unknown source id {source_id!r}") from None


def known() -> tuple[str, ...]:
    return tuple(sorted(_BY_ID))
