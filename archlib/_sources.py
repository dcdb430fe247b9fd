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
    # --- vmware-sddc (issue 4): add its sources below this line -------------------------------
    # --- sqlserver-ha-dr (issue 5): add its sources below this line ---------------------------
    # --- the workbook's own conventions --------------------------------------------------
    Source("archlib-scoring",
           "archlib scoring method: min-max normalisation across feasible options, weighted sum",
           "README.md#scoring"),
    Source("archlib-prices", "archlib price file (archlib/data/prices/<region>.yaml), "
           "transcribed from the AWS pricing pages each item names",
           "archlib/data/prices/us-east-1.yaml"),
    Source("archlib-override", "Scenario price override (the scenario file's `prices:`)",
           "README.md#scenario-files"),
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
