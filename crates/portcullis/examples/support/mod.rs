//! Helpers the load drivers share (included with `#[path]`; not an example itself).

use serde_json::{json, Value};

/// Exchanges an access key for a management token, as the Python SDKs do.
pub async fn management_token(http: &reqwest::Client, base_url: &str, key_id: &str, key_secret: &str) -> String {
    let answer: Value = http
        .post(format!("{base_url}/api/v3/get-management-token"))
        .json(&json!({"accessKeyId": key_id, "accessKeySecret": key_secret}))
        .send()
        .await
        .expect("the server answers")
        .json()
        .await
        .expect("the answer is JSON");
    answer["data"]["access_token"].as_str().expect("a management token").to_owned()
}
