//! Async analytics details jobs (reference §6.4): create, status, results by cursor, cancel, and the data
//! lake's availability date. A child of `api` so every call goes through the one retry policy and budget.

use gloo_net::http::Method;
use serde_json::Value;
use wrapup_core::model::analytics::{DataAvailability, JobCreated, JobResults, JobStatus};

use super::Api;
use crate::types::error::ApiError;

const JOBS: &str = "api/v2/analytics/conversations/details/jobs";

/// A job id as a path segment: refused unsent unless it is a plain id (letters, digits, `-`, `_`).
fn job_path(job_id: &str) -> Result<String, ApiError> {
    let plain = !job_id.is_empty()
        && job_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if plain {
        Ok(format!("{JOBS}/{job_id}"))
    } else {
        Err(ApiError::Decode(format!(
            "the job id {job_id:?} is not a plain id"
        )))
    }
}

impl Api {
    /// `POST …/details/jobs` with an `AsyncConversationQuery` body.
    pub async fn create_details_job(&self, body: &Value) -> Result<JobCreated, ApiError> {
        self.send(Method::POST, JOBS, &[], Some(body)).await
    }

    /// `GET …/details/jobs/{jobId}`.
    pub async fn details_job_status(&self, job_id: &str) -> Result<JobStatus, ApiError> {
        self.send(Method::GET, &job_path(job_id)?, &[], None::<&()>)
            .await
    }

    /// `GET …/details/jobs/{jobId}/results?cursor=…&pageSize=…` (no cursor for the first page).
    pub async fn details_job_results(
        &self,
        job_id: &str,
        cursor: Option<&str>,
        page_size: u32,
    ) -> Result<JobResults, ApiError> {
        let path = format!("{}/results", job_path(job_id)?);
        let size = page_size.to_string();
        let mut query = vec![("pageSize", size.as_str())];
        if let Some(cursor) = cursor {
            query.push(("cursor", cursor));
        }
        self.send(Method::GET, &path, &query, None::<&()>).await
    }

    /// `DELETE …/details/jobs/{jobId}`: cancels a running job, deletes a finished one.
    pub async fn cancel_details_job(&self, job_id: &str) -> Result<(), ApiError> {
        self.raw(Method::DELETE, &job_path(job_id)?, &[], None::<&()>)
            .await
            .map(drop)
    }

    /// `GET …/details/jobs/availability`.
    pub async fn details_job_availability(&self) -> Result<DataAvailability, ApiError> {
        self.send(
            Method::GET,
            &format!("{JOBS}/availability"),
            &[],
            None::<&()>,
        )
        .await
    }
}
