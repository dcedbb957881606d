//! Streaming summaries (placeholder).
