//! Test support for the PostgreSQL suites (feature `testing`): a fresh database per test on the
//! server named by `PORTCULLIS_TEST_POSTGRES_URL`, dropped again when the test ends.

use sqlx::postgres::PgConnection;
use sqlx::Connection;
use std::io::Write;
use std::sync::atomic::{AtomicU32, Ordering};

/// The admin URL of the PostgreSQL server the tests may create databases on.
pub const URL_VARIABLE: &str = "PORTCULLIS_TEST_POSTGRES_URL";

/// A database created for one test; dropped (with its connections) when this is dropped.
pub struct TestDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl TestDatabase {
    /// Creates an empty database, or returns `None` (after saying so on stderr) when
    /// [`URL_VARIABLE`] is unset. Under CI (`CI` set) a missing URL is a failure instead, so the
    /// PostgreSQL suites cannot pass by not running.
    pub async fn create(test: &str) -> Option<Self> {
        let Some(admin_url) = std::env::var(URL_VARIABLE).ok().filter(|v| !v.is_empty()) else {
            assert!(
                std::env::var_os("CI").is_none(),
                "{test}: {URL_VARIABLE} is not set but CI is; start PostgreSQL with scripts/postgres.sh"
            );
            // Straight to stderr: the test harness captures `eprintln!`, and a skip must be seen.
            let _ = writeln!(
                std::io::stderr(),
                "skipped {test}: set {URL_VARIABLE} (see scripts/postgres.sh) to run the PostgreSQL tests"
            );
            return None;
        };
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
        let name = format!(
            "portcullis_test_{}_{}_{}",
            std::process::id(),
            nanos % 1_000_000_000,
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin =
            PgConnection::connect(&admin_url).await.expect("the test PostgreSQL server accepts connections");
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.expect("CREATE DATABASE");
        let url = with_database(&admin_url, &name);
        Some(Self { admin_url, name, url })
    }

    /// The URL of the new database.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        // Drop runs inside the test's runtime, which cannot be blocked on; use a runtime of its own.
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        let dropped = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(async {
                let mut admin = PgConnection::connect(&admin_url).await?;
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin).await?;
                Ok::<_, Box<dyn std::error::Error + Send + Sync>>(())
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop test database {}", self.name);
        }
    }
}

/// `admin_url` with its database (the URL path) replaced by `name`, query parameters kept.
fn with_database(admin_url: &str, name: &str) -> String {
    let (base, query) = admin_url.split_once('?').map_or((admin_url, None), |(b, q)| (b, Some(q)));
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let server = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{server}/{name}?{query}"),
        None => format!("{server}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn replaces_the_database_of_a_url() {
        use super::with_database;
        assert_eq!(with_database("postgres://u@h:5/postgres", "t"), "postgres://u@h:5/t");
        assert_eq!(with_database("postgres://u@h:5", "t"), "postgres://u@h:5/t");
        assert_eq!(with_database("postgres://u@h/db?sslmode=disable", "t"), "postgres://u@h/t?sslmode=disable");
    }
}
