//! Two server processes on one PostgreSQL database: a write through one is readable through the
//! other, immediately when the reader names the revision it must see. Needs
//! `PORTCULLIS_TEST_POSTGRES_URL` (see `scripts/postgres.sh`).

mod common;

use common::{assert_error, assert_ok, TestServer, MIN_REVISION_HEADER};
use portcullis_store::testing::TestDatabase;
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test]
async fn a_write_on_one_node_is_read_on_the_other() {
    let Some(database) = TestDatabase::create("a_write_on_one_node_is_read_on_the_other").await else { return };
    // One after the other: the first bootstraps the default pool, the second finds it.
    let a = TestServer::start_node(database.url()).await;
    let b = TestServer::start_node(database.url()).await;
    let writer = a.client().await;
    // Tokens are signed with the key all nodes share, so a's token works on b.
    let reader = writer.on(&b);

    let (answer, written) =
        writer.try_post("create-namespace", json!({"code": "books", "name": "Books"})).await.unwrap();
    assert_ok(&answer);

    let min = [(MIN_REVISION_HEADER, written.to_string())];
    let (answer, seen) = reader.get_with("get-namespace", &[("code", "books")], &min).await;
    assert_ok(&answer);
    assert_eq!(answer["data"]["name"], "Books");
    assert!(written > 0 && seen >= written, "b answered at revision {seen}, before {written}");

    // Without the header, b converges on its own shortly after.
    let deadline = Instant::now() + Duration::from_secs(5);
    let renamed = json!({"code": "books", "name": "Library"});
    assert_ok(&writer.post("update-namespace", renamed).await);
    while reader.get("get-namespace", &[("code", "books")]).await["data"]["name"] != "Library" {
        assert!(Instant::now() < deadline, "b did not follow a within 5 s");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // A revision nobody wrote is refused after the bounded wait.
    let ahead = [(MIN_REVISION_HEADER, (written + 1000).to_string())];
    let (answer, _) = reader.get_with("get-namespace", &[("code", "books")], &ahead).await;
    assert_error(&answer, 503, "数据尚未同步到此节点");
    let bad = [(MIN_REVISION_HEADER, "soon".to_owned())];
    let (answer, _) = reader.get_with("get-namespace", &[("code", "books")], &bad).await;
    assert_error(&answer, 400, "参数 x-portcullis-min-revision 格式错误");
}
