//! Small encoding helpers shared by the response DTOs.

/// ISO-8601 UTC with milliseconds, e.g. `2022-07-03T02:20:30.000Z`.
pub fn iso_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// A page in the contract's shape.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PageDto<T> {
    pub total_count: usize,
    pub list: Vec<T>,
}

impl<T> PageDto<T> {
    pub fn from_page<S>(page: portcullis_core::ops::Page<S>, f: impl FnMut(S) -> T) -> Self {
        Self { total_count: page.total, list: page.items.into_iter().map(f).collect() }
    }
    pub fn all(list: Vec<T>) -> Self {
        Self { total_count: list.len(), list }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn timestamps_have_milliseconds_and_zulu() {
        assert_eq!(super::iso_time(1_656_814_830_000), "2022-07-03T02:20:30.000Z");
    }
}
