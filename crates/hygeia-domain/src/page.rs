//! Pagination of lists: a bounded page size and an offset.

use serde::{Deserialize, Serialize};

/// The largest page any list returns, so that no request can ask for the whole table.
pub const MAX_PAGE_SIZE: u32 = 200;
pub const DEFAULT_PAGE_SIZE: u32 = 50;

/// Which slice of a list to return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRequest {
    pub limit: u32,
    pub offset: u64,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            limit: DEFAULT_PAGE_SIZE,
            offset: 0,
        }
    }
}

impl PageRequest {
    /// Clamps what a caller asked for into the allowed range.
    pub fn new(limit: Option<u32>, offset: Option<u64>) -> Self {
        Self {
            limit: limit.unwrap_or(DEFAULT_PAGE_SIZE).clamp(1, MAX_PAGE_SIZE),
            offset: offset.unwrap_or(0),
        }
    }

    /// The list's total when the page itself tells it, so no count is needed: a page that
    /// came back short is the last one, unless it is empty past the start (the caller paged
    /// beyond the end and the total is unknown).
    pub fn total_from_short_page(&self, rows: usize) -> Option<u64> {
        let rows = u64::try_from(rows).ok()?;
        let short = rows < u64::from(self.limit);
        (short && (rows > 0 || self.offset == 0)).then_some(self.offset + rows)
    }
}

/// One page of results with the total, so clients can page on.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub limit: u32,
    pub offset: u64,
}

impl<T> Page<T> {
    /// The same page with each item turned into something else.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            limit: self.limit,
            offset: self.offset,
        }
    }

    pub fn next_offset(&self) -> Option<u64> {
        let next = self.offset + u64::from(self.limit);
        (next < self.total).then_some(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_size_is_clamped() {
        assert_eq!(PageRequest::new(Some(0), None).limit, 1);
        assert_eq!(PageRequest::new(Some(10_000), None).limit, MAX_PAGE_SIZE);
        assert_eq!(PageRequest::new(None, None).limit, DEFAULT_PAGE_SIZE);
    }

    #[test]
    fn a_short_page_tells_the_total_and_a_full_or_empty_later_page_does_not() {
        let first = PageRequest::new(Some(10), None);
        assert_eq!(first.total_from_short_page(0), Some(0));
        assert_eq!(first.total_from_short_page(7), Some(7));
        assert_eq!(
            first.total_from_short_page(10),
            None,
            "a full page may have more after it"
        );
        let third = PageRequest::new(Some(10), Some(20));
        assert_eq!(third.total_from_short_page(3), Some(23));
        assert_eq!(third.total_from_short_page(0), None, "past the end: how far is unknown");
        assert_eq!(third.total_from_short_page(10), None);
    }

    #[test]
    fn next_offset_stops_at_the_end() {
        let page = Page::<u8> {
            items: vec![],
            total: 120,
            limit: 50,
            offset: 100,
        };
        assert_eq!(page.next_offset(), None);
        let page = Page::<u8> {
            items: vec![],
            total: 120,
            limit: 50,
            offset: 50,
        };
        assert_eq!(page.next_offset(), Some(100));
    }
}
