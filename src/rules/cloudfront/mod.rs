//! CloudFront rules: distributions in front of API Gateway.

pub mod api_origin_not_https_only;
pub mod api_origin_without_verify_header;
pub mod distribution_without_waf;
pub mod forwards_host_to_api_origin;
