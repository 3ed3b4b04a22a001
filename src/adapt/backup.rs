//! Adapters for AWS Backup vaults, vault locks, plans and selections: the Terraform and the CloudFormation reading side by side.

/// The service part of a resource type's ARNs.
pub(in crate::adapt) fn arn_service(rtype: &str) -> Option<&'static str> {
    Some(match rtype {
        "aws_db_instance"
        | "aws_rds_cluster"
        | "aws_docdb_cluster"
        | "aws_neptune_cluster"
        | "AWS::RDS::DBInstance"
        | "AWS::RDS::DBCluster"
        | "AWS::DocDB::DBCluster"
        | "AWS::Neptune::DBCluster" => "rds",
        "aws_dynamodb_table" | "AWS::DynamoDB::Table" => "dynamodb",
        "aws_ebs_volume" | "aws_instance" | "AWS::EC2::Volume" | "AWS::EC2::Instance" => "ec2",
        "aws_efs_file_system" | "AWS::EFS::FileSystem" => "elasticfilesystem",
        "aws_redshift_cluster" | "AWS::Redshift::Cluster" => "redshift",
        "aws_s3_bucket" | "AWS::S3::Bucket" => "s3",
        "aws_timestreamwrite_table" | "AWS::Timestream::Table" => "timestream",
        t if t.starts_with("aws_fsx_") || t == "AWS::FSx::FileSystem" => "fsx",
        _ => return None,
    })
}

pub(in crate::adapt) mod terraform {
    use crate::adapt::In;
    use crate::model::backup::{
        value_list, BackupPlan, BackupSelection, BackupVault, ConditionOp, PlanRule,
        SelectionCondition, SelectionTag, Target, VaultKey, VaultLock,
    };
    use crate::model::value::{bool_of, field, num_of, string_of};
    use crate::model::{Link, Model, ResourceMeta, Tags, Val};
    use crate::resource::ResourceInstance;

    /// `aws_backup_vault_lock_configuration`.
    pub(in crate::adapt) fn backup_vault_lock_configuration(x: &In<'_>, model: &mut Model) {
        let r = x.r;
        vault_lock_of(r, x.meta(), model);
    }

    /// Whether a rule explains the absence of a resource of this type, switched off by its
    /// `count`/`for_each` (BKP001 names the switch of a vault's lock).
    pub fn explains_absence(rtype: &str) -> bool {
        rtype == "aws_backup_vault_lock_configuration"
    }

    /// A resource switched off by its `count`/`for_each` ([`explains_absence`]): kept apart
    /// from what is created, so that findings about what it would have done can name the
    /// switch.
    pub(in crate::adapt) fn adapt_switched_off(r: &ResourceInstance, model: &mut Model) {
        if r.rtype == "aws_backup_vault_lock_configuration" {
            let meta = crate::adapt::meta_of(r, Tags::default());
            let mut scratch = Model::default();
            vault_lock_of(r, meta, &mut scratch);
            model.switched_off_locks.extend(scratch.vault_locks);
        }
    }

    pub(in crate::adapt) fn backup_vault(x: &In<'_>, model: &mut Model) {
        let (r, meta) = (x.r, x.meta());
        let (b, h) = (&r.body, r.header);
        model.backup_vaults.push(BackupVault {
            meta,
            scope: crate::adapt::scope_of(r),
            name: field(b, "name", h, None, string_of),
            key: field(
                b,
                "kms_key_arn",
                h,
                Some(VaultKey::ServiceDefault),
                VaultKey::of,
            ),
            force_destroy: field(b, "force_destroy", h, Some(false), bool_of),
            locks: Link::None,
            switched_off_locks: Link::None,
        });
    }

    pub(in crate::adapt) fn vault_lock_of(
        r: &ResourceInstance,
        meta: ResourceMeta,
        model: &mut Model,
    ) {
        let (b, h) = (&r.body, r.header);
        model.vault_locks.push(VaultLock {
            meta,
            scope: crate::adapt::scope_of(r),
            span: h,
            switch: r.switched_off,
            target: b.get("backup_vault_name").and_then(Target::of),
            vaults: Link::None,
            min_retention_days: field(b, "min_retention_days", h, None, num_of),
            max_retention_days: field(b, "max_retention_days", h, None, num_of),
            changeable_for_days: field(b, "changeable_for_days", h, None, num_of),
        });
    }

    /// Nested blocks, or `None` when a `dynamic` block makes them unknown.
    pub(in crate::adapt) fn known_blocks<'a>(
        b: &'a crate::value::Value,
        key: &str,
    ) -> Option<Vec<&'a crate::value::Value>> {
        match b.get(key) {
            Some(v) if v.is_unknown() => None,
            _ => Some(b.blocks(key)),
        }
    }

    pub(in crate::adapt) fn backup_plan(x: &In<'_>, model: &mut Model) {
        let (r, meta) = (x.r, x.meta());
        let rules = known_blocks(&r.body, "rule").map(|rules| {
            rules
                .into_iter()
                .map(|rule| {
                    let target = rule.get("target_vault_name");
                    let lifecycle = rule.get("lifecycle");
                    let (delete_after, cold_storage_after) = match lifecycle {
                        Some(l) if l.is_unknown() => (
                            Val::set_unknown(l).named("delete_after"),
                            Val::set_unknown(l).named("cold_storage_after"),
                        ),
                        _ => match rule.blocks("lifecycle").first() {
                            Some(l) => (
                                field(l, "delete_after", l.span, None, num_of),
                                field(l, "cold_storage_after", l.span, None, num_of),
                            ),
                            None => (Val::default(None, rule.span), Val::default(None, rule.span)),
                        },
                    };
                    PlanRule {
                        span: rule.span,
                        name: field(rule, "rule_name", rule.span, None, string_of),
                        target: target.and_then(Target::of),
                        target_span: target.map(|t| t.span).unwrap_or(rule.span),
                        vaults: Link::None,
                        delete_after,
                        cold_storage_after,
                    }
                })
                .collect()
        });
        model.backup_plans.push(BackupPlan {
            meta,
            scope: crate::adapt::scope_of(r),
            rules,
        });
    }

    pub(in crate::adapt) fn backup_selection(x: &In<'_>, model: &mut Model) {
        let (r, meta) = (x.r, x.meta());
        let b = &r.body;
        let tags = known_blocks(b, "selection_tag").map(|tags| {
            tags.into_iter()
                .map(|t| SelectionTag {
                    span: t.span,
                    op: field(t, "type", t.span, None, string_of),
                    key: field(t, "key", t.span, None, string_of),
                    value: field(t, "value", t.span, None, string_of),
                })
                .collect()
        });
        let conditions = known_blocks(b, "condition").and_then(|blocks| {
            let mut out = Vec::new();
            for c in blocks {
                for (name, v) in c.as_map()? {
                    let op = ConditionOp::parse(name)?;
                    if v.is_unknown() {
                        return None;
                    }
                    for e in c.blocks(name) {
                        out.push(SelectionCondition {
                            span: e.span,
                            op,
                            key: field(e, "key", e.span, None, string_of),
                            value: field(e, "value", e.span, None, string_of),
                        });
                    }
                }
            }
            Some(out)
        });
        model.backup_selections.push(BackupSelection {
            meta,
            scope: crate::adapt::scope_of(r),
            plan: b.get("plan_id").and_then(Target::of),
            plans: Link::None,
            tags,
            conditions,
            resources: value_list(b.get("resources")),
            not_resources: value_list(b.get("not_resources")),
        });
    }

    /// The Terraform resource types this service reads, and their adapters.
    pub(in crate::adapt) const TYPES: &[(&str, crate::adapt::Adapter)] = &[
        ("aws_backup_vault", backup_vault),
        (
            "aws_backup_vault_lock_configuration",
            backup_vault_lock_configuration,
        ),
        ("aws_backup_plan", backup_plan),
        ("aws_backup_selection", backup_selection),
    ];
}

pub(in crate::adapt) mod cloudformation {
    use crate::adapt::In;
    use crate::model::backup::{
        value_list, BackupPlan, BackupSelection, BackupVault, ConditionOp, PlanRule,
        SelectionCondition, SelectionTag, Target, VaultKey, VaultLock,
    };
    use crate::model::value::{field, num_of, string_of};
    use crate::model::{Link, Model, Val};

    use crate::value::Value;

    pub(in crate::adapt) fn backup_vault(x: &In<'_>, model: &mut Model) {
        let r = x.r;
        let (b, h) = (&r.body, r.header);
        let meta = crate::adapt::tags::cloudformation::tagged_meta(r);
        if let Some(lc) = b.get("LockConfiguration").filter(|v| !v.is_null()) {
            let mut lock_meta = meta.clone();
            // `!If [cond, {...}, !Ref AWS::NoValue]` with an unknown condition.
            lock_meta.maybe_absent |= lc.is_unknown();
            model.vault_locks.push(VaultLock {
                switch: None,
                meta: lock_meta,
                scope: crate::adapt::scope_of(r),
                span: lc.span,
                target: Some(Target::Resource(r.ref_name.clone())),
                vaults: Link::None,
                min_retention_days: lock_field(lc, "MinRetentionDays"),
                max_retention_days: lock_field(lc, "MaxRetentionDays"),
                changeable_for_days: lock_field(lc, "ChangeableForDays"),
            });
        }
        model.backup_vaults.push(BackupVault {
            meta,
            scope: crate::adapt::scope_of(r),
            name: field(b, "BackupVaultName", h, None, string_of),
            key: field(
                b,
                "EncryptionKeyArn",
                h,
                Some(VaultKey::ServiceDefault),
                VaultKey::of,
            ),
            force_destroy: Val::default(Some(false), h),
            locks: Link::None,
            switched_off_locks: Link::None,
        });
    }

    /// A lock setting; set but unknown when the whole `LockConfiguration` is unknown.
    pub(in crate::adapt) fn lock_field(lc: &Value, key: &'static str) -> Val<f64> {
        if lc.is_unknown() {
            return Val::set_unknown(lc).named(key);
        }
        field(lc, key, lc.span, None, num_of)
    }

    /// A list property, or `None` when it is not statically known.
    pub(in crate::adapt) fn known_list<'a>(b: &'a Value, key: &str) -> Option<Vec<&'a Value>> {
        match b.get(key) {
            Some(v) if v.is_unknown() => None,
            Some(v) if v.as_list().is_some() => Some(b.blocks(key)),
            Some(v) if !v.is_null() => None,
            _ => Some(Vec::new()),
        }
    }

    pub(in crate::adapt) fn backup_plan(x: &In<'_>, model: &mut Model) {
        let r = x.r;
        let plan = r.body.get("BackupPlan").filter(|p| p.as_map().is_some());
        let rules = plan
            .and_then(|p| known_list(p, "BackupPlanRule"))
            .map(|rules| {
                rules
                    .into_iter()
                    .map(|rule| {
                        let target = rule.get("TargetBackupVault");
                        let (delete_after, cold_storage_after) = match rule.get("Lifecycle") {
                            Some(l) if l.as_map().is_some() => (
                                field(l, "DeleteAfterDays", l.span, None, num_of),
                                field(l, "MoveToColdStorageAfterDays", l.span, None, num_of),
                            ),
                            Some(l) if !l.is_null() => (
                                Val::set_unknown(l).named("DeleteAfterDays"),
                                Val::set_unknown(l).named("MoveToColdStorageAfterDays"),
                            ),
                            _ => (Val::default(None, rule.span), Val::default(None, rule.span)),
                        };
                        PlanRule {
                            span: rule.span,
                            name: field(rule, "RuleName", rule.span, None, string_of),
                            target: target.and_then(Target::of),
                            target_span: target.map(|t| t.span).unwrap_or(rule.span),
                            vaults: Link::None,
                            delete_after,
                            cold_storage_after,
                        }
                    })
                    .collect()
            });
        model.backup_plans.push(BackupPlan {
            meta: crate::adapt::tags::cloudformation::tagged_meta(r),
            scope: crate::adapt::scope_of(r),
            rules,
        });
    }

    pub(in crate::adapt) fn backup_selection(x: &In<'_>, model: &mut Model) {
        let r = x.r;
        let b = &r.body;
        let empty = Value::new(crate::value::Kind::Null, r.header);
        let sel = match b.get("BackupSelection") {
            Some(s) if s.as_map().is_some() => s,
            _ => &empty,
        };
        let unknown = sel.is_null() && b.get("BackupSelection").is_some();
        let tags = known_list(sel, "ListOfTags")
            .filter(|_| !unknown)
            .map(|tags| {
                tags.into_iter()
                    .map(|t| SelectionTag {
                        span: t.span,
                        op: field(t, "ConditionType", t.span, None, string_of),
                        key: field(t, "ConditionKey", t.span, None, string_of),
                        value: field(t, "ConditionValue", t.span, None, string_of),
                    })
                    .collect()
            });
        let conditions = match sel.get("Conditions") {
            _ if unknown => None,
            None => Some(Vec::new()),
            Some(c) => c.as_map().and_then(|m| {
                let mut out = Vec::new();
                for name in m.keys() {
                    let op = ConditionOp::parse(name)?;
                    for e in known_list(c, name)? {
                        out.push(SelectionCondition {
                            span: e.span,
                            op,
                            key: field(e, "ConditionKey", e.span, None, string_of),
                            value: field(e, "ConditionValue", e.span, None, string_of),
                        });
                    }
                }
                Some(out)
            }),
        };
        model.backup_selections.push(BackupSelection {
            meta: crate::adapt::tags::cloudformation::tagged_meta(r),
            scope: crate::adapt::scope_of(r),
            plan: b.get("BackupPlanId").and_then(Target::of),
            plans: Link::None,
            tags,
            conditions,
            resources: value_list(sel.get("Resources")).filter(|_| !unknown),
            not_resources: value_list(sel.get("NotResources")).filter(|_| !unknown),
        });
    }

    /// The CloudFormation resource types this service reads, and their adapters.
    pub(in crate::adapt) const TYPES: &[(&str, crate::adapt::Adapter)] = &[
        ("AWS::Backup::BackupVault", backup_vault),
        ("AWS::Backup::BackupPlan", backup_plan),
        ("AWS::Backup::BackupSelection", backup_selection),
    ];
}
