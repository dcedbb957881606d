//! The toolkit the advisor's report and the claim page share, so that both
//! look and read alike: HTML blocks with escaping by default ([`html`]), the
//! stylesheets ([`css`]), numbers and euros per language ([`format`]), every
//! word per language ([`text`]) and the charts ([`charts`]). It knows neither
//! the report nor the claim check: both depend on it, never the other way.

pub mod charts;
pub mod css;
pub mod format;
pub mod html;
pub mod text;

pub use text::{fill, Lang};
