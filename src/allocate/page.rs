//! The Dutch report page of an allocation (`allocation.html`).

use super::result::AllocationReport;

/// Why the page could not be drawn.
#[derive(Debug, thiserror::Error)]
#[error("cannot draw the allocation page: {0}")]
pub struct PageError(pub String);

/// The page.
pub fn html(r: &AllocationReport) -> Result<String, PageError> {
    Ok(format!("<!doctype html><title>{}</title>", r.name))
}
