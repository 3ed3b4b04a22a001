//! API Gateway rules: endpoint exposure, resource policies and WAF.

pub mod default_endpoint_enabled;
pub mod http_api_directly_exposed;
pub mod private_api_without_vpce_policy;
pub mod public_endpoint_without_resource_policy;
pub mod resource_policy_allows_anyone;
pub mod stage_without_waf;
