# Functions over the instances of a `for_each` resource, of a `count` resource and of a
# module output map built from one: each alias and each consumer links to its own
# instance (the instance is in the finding, its alias in the label).
locals {
  services = toset(["a", "b", "c", "d", "e"])
  merged   = merge(aws_kms_key.k, {})
  ids      = zipmap(keys(aws_kms_key.k), values(aws_kms_key.k)[*].key_id)
  arns     = { for k, v in aws_kms_key.k : k => v.arn }
}

resource "aws_kms_key" "k" {
  for_each            = local.services
  enable_key_rotation = true
}

resource "aws_kms_alias" "lookup" {
  name          = "alias/a"
  target_key_id = lookup(aws_kms_key.k, "a").key_id
}

resource "aws_kms_alias" "merge" {
  name          = "alias/b"
  target_key_id = local.merged["b"].key_id
}

resource "aws_kms_alias" "zipmap" {
  name          = "alias/c"
  target_key_id = local.ids["c"]
}

resource "aws_kms_alias" "values" {
  name          = "alias/d"
  target_key_id = values(aws_kms_key.k)[3].key_id
}

resource "aws_kms_alias" "keys" {
  for_each      = toset([for k in keys(aws_kms_key.k) : k if k == "e"])
  name          = "alias/${each.key}"
  target_key_id = aws_kms_key.k[each.key].key_id
}

resource "aws_sns_topic" "a" {
  name = "a"
  # expect: KMS001
  kms_master_key_id = lookup(local.arns, "a")
}

resource "aws_sqs_queue" "b" {
  name = "b"
  # expect: KMS001
  kms_master_key_id = local.merged["b"].arn
}

resource "aws_secretsmanager_secret" "c" {
  name = "c"
  # expect: KMS001
  kms_key_id = local.ids["c"]
}

resource "aws_sns_topic" "d" {
  name = "d"
  # expect: KMS001
  kms_master_key_id = element(values(aws_kms_key.k)[*].arn, 3)
}

resource "aws_sqs_queue" "e" {
  name = "e"
  # expect: KMS001
  kms_master_key_id = local.arns["e"]
}

# A `count` resource: splats keep the instance of each element.
resource "aws_kms_key" "n" {
  count               = 2
  enable_key_rotation = true
}

resource "aws_kms_alias" "n" {
  count         = 2
  name          = "alias/n${count.index}"
  target_key_id = element(aws_kms_key.n[*].key_id, count.index)
}

resource "aws_sns_topic" "n" {
  name = "n"
  # expect: KMS001
  kms_master_key_id = element(aws_kms_key.n[*].arn, 1)
}

# A module whose outputs are the instances of its `for_each` keys.
module "m" {
  source   = "./modules/kms"
  services = ["x", "y"]
}

resource "aws_kms_alias" "mx" {
  name          = "alias/x"
  target_key_id = lookup(module.m.keys, "x").key_id
}

resource "aws_kms_alias" "my" {
  name          = "alias/y"
  target_key_id = merge(module.m.key_ids, {})["y"]
}

resource "aws_sns_topic" "x" {
  name = "x"
  # expect: KMS001
  kms_master_key_id = values(module.m.key_arns)[0]
}

resource "aws_sqs_queue" "y" {
  name = "y"
  # expect: KMS001
  kms_master_key_id = zipmap(keys(module.m.keys), values(module.m.keys)[*].arn)["y"]
}
