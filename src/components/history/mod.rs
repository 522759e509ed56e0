//! The history search ("many conversations"): window, filters, progress, verdict chart and results
//! table, composed by [`history_view::HistoryView`]. They render state and raise callbacks.

pub mod history_filters;
pub mod history_view;
pub mod job_progress;
pub mod results_table;
pub mod verdict_chart;
pub mod window_picker;
