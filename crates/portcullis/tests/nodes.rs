//! Two server processes on one PostgreSQL database: a write through one is readable through the
//! other, immediately when the reader names the revision it must see. Needs
//! `PORTCULLIS_TEST_POSTGRES_URL` (see `scripts/postgres.sh`).

mod common;

use common::{assert_error, assert_ok, Client, TestServer};
use portcullis_store::testing::TestDatabase;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const MASTER_KEY: &str = "5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e";

/// GET `endpoint` on `server` with `client`'s token and extra headers; the envelope and the
/// revision header of the answer.
async fn get_with(
    server: &TestServer,
    client: &Client,
    endpoint: &str,
    query: &[(&str, &str)],
    headers: &[(&str, String)],
) -> (Value, u64) {
    let mut request = reqwest::Client::new()
        .get(format!("{}/api/v3/{endpoint}", server.base_url))
        .bearer_auth(&client.token)
        .query(query);
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let response = request.send().await.unwrap();
    let revision = revision_of(&response);
    (response.json().await.unwrap(), revision)
}

fn revision_of(response: &reqwest::Response) -> u64 {
    let header = response.headers().get("x-portcullis-revision").expect("authenticated answers carry the revision");
    header.to_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_write_on_one_node_is_read_on_the_other() {
    let Some(database) = TestDatabase::create("a_write_on_one_node_is_read_on_the_other").await else { return };
    // One after the other: the first bootstraps the default pool, the second finds it.
    let a = TestServer::start_node(database.url(), MASTER_KEY).await;
    let b = TestServer::start_node(database.url(), MASTER_KEY).await;
    let writer = a.client().await;
    // Tokens are signed with the key all nodes share, so a's token works on b.
    let mut reader = writer.clone();
    reader.base_url = b.base_url.clone();

    let response = reqwest::Client::new()
        .post(format!("{}/api/v3/create-namespace", a.base_url))
        .bearer_auth(&writer.token)
        .json(&json!({"code": "books", "name": "Books"}))
        .send()
        .await
        .unwrap();
    let written = revision_of(&response);
    assert_ok(&response.json().await.unwrap());

    let min = [("x-portcullis-min-revision", written.to_string())];
    let (answer, seen) = get_with(&b, &reader, "get-namespace", &[("code", "books")], &min).await;
    assert_ok(&answer);
    assert_eq!(answer["data"]["name"], "Books");
    assert!(seen >= written, "b answered at revision {seen}, before {written}");

    // Without the header, b converges on its own shortly after.
    let deadline = Instant::now() + Duration::from_secs(5);
    let renamed = json!({"code": "books", "name": "Library"});
    assert_ok(&writer.post("update-namespace", renamed).await);
    while reader.get("get-namespace", &[("code", "books")]).await["data"]["name"] != "Library" {
        assert!(Instant::now() < deadline, "b did not follow a within 5 s");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // A revision nobody wrote is refused after the bounded wait.
    let ahead = [("x-portcullis-min-revision", (written + 1000).to_string())];
    let (answer, _) = get_with(&b, &reader, "get-namespace", &[("code", "books")], &ahead).await;
    assert_error(&answer, 503, "数据尚未同步到此节点");
    let bad = [("x-portcullis-min-revision", "soon".to_owned())];
    let (answer, _) = get_with(&b, &reader, "get-namespace", &[("code", "books")], &bad).await;
    assert_error(&answer, 400, "参数 x-portcullis-min-revision 格式错误");
}
