################################################################################
# Subnet sharing: one AWS RAM resource share of chosen private subnets, with the
# principals it admits. The HCL twin of modules/subnet_sharing/construct.py.
# The share adds no route, gateway or rule (help/sharing.md).
################################################################################

resource "aws_ram_resource_share" "this" {
  name                      = "${var.name}-subnets"
  allow_external_principals = var.allow_external_principals

  tags = merge(var.tags, {
    Name = "${var.name}-subnets"
  })
}

resource "aws_ram_resource_association" "subnet" {
  for_each = var.subnets

  resource_arn       = each.value.arn
  resource_share_arn = aws_ram_resource_share.this.arn
}

resource "aws_ram_principal_association" "principal" {
  for_each = toset(var.principals)

  principal          = each.value
  resource_share_arn = aws_ram_resource_share.this.arn
}
