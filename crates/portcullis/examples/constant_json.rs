//! The baseline of `bench/http.sh`: the smallest axum server answering every `POST` with one
//! fixed envelope, the ceiling an HTTP endpoint on this machine can reach. It is not part of the
//! product; the benchmark compares is-action-allowed's requests/s with this server's.
//!
//! Usage: `constant_json ADDRESS` (e.g. `127.0.0.1:8081`).

use axum::http::header::CONTENT_TYPE;
use axum::routing::post;
use axum::Router;

/// An is-action-allowed answer as the server encodes it, byte for byte the same size.
const BODY: &str =
    r#"{"statusCode":200,"message":"","requestId":"00000000000000000000000000000000","data":{"allowed":true}}"#;

#[tokio::main]
async fn main() {
    let address = std::env::args().nth(1).expect("usage: constant_json ADDRESS");
    let app = Router::new().fallback(post(|| async { ([(CONTENT_TYPE, "application/json")], BODY) }));
    let listener = tokio::net::TcpListener::bind(&address).await.expect("the address is free");
    axum::serve(listener, app).await.expect("the server runs");
}
