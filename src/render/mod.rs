//! The toolkit the advisor's report and the claim page share, so that both
//! look and read alike: HTML blocks with escaping by default (`html`), the
//! stylesheets (`css`), numbers and euros per language ([`format`](mod@format)), every
//! word per language (`text`, with the report's [`Lang`]) and the charts
//! (`charts`, whose failure is a [`ChartError`]) and developer text turned
//! into words for readers (`words`: distributions, file names, source notes). It knows neither the report
//! nor the claim check: both depend on it, never the other way.
//!
//! Only what the binary and the library's callers need is public: the
//! language, the chart error and the terminal's euro format; the rest is the
//! crate's own toolkit.

pub(crate) mod charts;
pub(crate) mod css;
pub mod format;
pub(crate) mod html;
pub(crate) mod text;
pub(crate) mod words;

pub use charts::ChartError;
pub use text::Lang;
