//! Small encoding helpers shared by the response DTOs.

/// ISO-8601 UTC with milliseconds, e.g. `2022-07-03T02:20:30.000Z`.
pub fn iso_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// A page in the contract's shape; `L` is the list, a `Vec` or a [`Streamed`] iterator.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PageDto<L> {
    pub total_count: usize,
    pub list: L,
}

impl<T> PageDto<Vec<T>> {
    pub fn from_page<S>(page: portcullis_core::ops::Page<S>, f: impl FnMut(S) -> T) -> Self {
        Self { total_count: page.total, list: page.items.into_iter().map(f).collect() }
    }
    pub fn all(list: Vec<T>) -> Self {
        Self { total_count: list.len(), list }
    }
}

impl<I> PageDto<Streamed<I>> {
    /// All `total_count` items `items` yields, encoded as they are made.
    pub fn streamed(total_count: usize, items: I) -> Self {
        Self { total_count, list: Streamed(items) }
    }
}

/// A JSON array encoded straight from an iterator's items: a listing of thousands of entries
/// then never holds them all as DTOs at once. Encoding runs a clone of the iterator.
pub struct Streamed<I>(I);

impl<I> serde::Serialize for Streamed<I>
where
    I: Iterator + Clone,
    I::Item: serde::Serialize,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.clone())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn timestamps_have_milliseconds_and_zulu() {
        assert_eq!(super::iso_time(1_656_814_830_000), "2022-07-03T02:20:30.000Z");
    }
}
