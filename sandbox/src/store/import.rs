//! List imports: `importToList` and `getImportToListStatus`.
//!
//! `importToList` checks its parameters at once and queues a job that stays PROCESSING
//! for [`StoreSettings::import_processing_time`](super::StoreSettings::import_processing_time).
//! The job runs at the start of the first operation after the store's clock passes its
//! due time, or when [`Store::finish_imports`] is called. It then maps the CSV header to
//! lead fields by display name and applies the rows. It ends COMPLETE, or FAILED when
//! the header cannot be used.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::campaigns::is_my_token;
use super::fields::check_email;
use super::{same_name, Attrib, Attribute, Store};
use crate::error::{FaultCode, SandboxError, SandboxResult};

/// The source written on activities of imported leads.
const IMPORT_SOURCE: &str = "List import";

/// Row errors quoted in `importSummary`; the rest are counted.
const MAX_SUMMARY_ROW_ERRORS: usize = 10;

/// The WSDL's `ImportToListModeEnum`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportMode {
    /// Create or update leads, then add them to the list.
    UpsertLeads,
    /// Add existing leads to the list; rows for unknown leads are ignored.
    ListOnly,
}

impl ImportMode {
    /// Returns the WSDL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportMode::UpsertLeads => "UPSERTLEADS",
            ImportMode::ListOnly => "LISTONLY",
        }
    }
}

/// The WSDL's `ImportToListStatusEnum`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportStatus {
    /// Queued or running.
    Processing,
    /// Finished; some rows may have failed.
    Complete,
    /// Nothing was imported; see the summary.
    Failed,
    /// Stopped by a user (the sandbox never cancels).
    Canceled,
}

impl ImportStatus {
    /// Returns the WSDL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportStatus::Processing => "PROCESSING",
            ImportStatus::Complete => "COMPLETE",
            ImportStatus::Failed => "FAILED",
            ImportStatus::Canceled => "CANCELED",
        }
    }
}

/// The parameters of `importToList`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportToListRequest {
    /// `programName`.
    pub program_name: String,
    /// `listName`: a list of that program.
    pub list_name: String,
    /// `importFileHeader`: CSV of field display names and `{{my.token}}` columns.
    pub import_file_header: String,
    /// `importFileRows`: one CSV row per lead.
    pub import_file_rows: Vec<String>,
    /// `importListMode`.
    pub import_list_mode: ImportMode,
    /// `clearList`: empty the list before adding.
    pub clear_list: bool,
    /// `campaignName`: the program's campaign that uses the token columns.
    pub campaign_name: Option<String>,
}

/// Token values of one imported lead, kept for the campaign named in the import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedTokens {
    /// The lead.
    pub lead_id: i32,
    /// `{{my.Name}}` → value.
    pub tokens: Vec<Attrib>,
}

/// An `importToList` job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportJob {
    /// Id.
    pub id: i32,
    /// The program of the list.
    pub program_id: i32,
    /// The list.
    pub list_id: i32,
    /// The campaign for token values.
    pub campaign_id: Option<i32>,
    /// Import mode.
    pub mode: ImportMode,
    /// Whether the list is emptied first.
    pub clear_list: bool,
    /// The CSV header.
    pub header: String,
    /// The CSV rows.
    pub rows: Vec<String>,
    /// Status.
    pub status: ImportStatus,
    /// When the job was queued.
    pub started_at: DateTime<Utc>,
    /// When the job runs.
    pub due_at: DateTime<Utc>,
    /// When the job finished.
    pub ended_at: Option<DateTime<Utc>>,
    /// Rows imported.
    pub rows_imported: i32,
    /// Rows that failed.
    pub rows_failed: i32,
    /// Rows ignored (blank rows, unknown leads in LISTONLY mode).
    pub rows_ignored: i32,
    /// Summary text, once finished.
    pub summary: Option<String>,
    /// Token values per imported lead.
    pub tokens: Vec<ImportedTokens>,
}

/// The result of `getImportToListStatus`, the WSDL's `ResultGetImportToListStatus`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportToListStatus {
    /// `status`.
    pub status: ImportStatus,
    /// `startedTime`.
    pub started_time: Option<DateTime<Utc>>,
    /// `endedTime`.
    pub ended_time: Option<DateTime<Utc>>,
    /// `estimatedTime`: seconds until a PROCESSING job runs.
    pub estimated_time: Option<i32>,
    /// `estimatedRows`: rows sent.
    pub estimated_rows: Option<i32>,
    /// `rowsImported`.
    pub rows_imported: Option<i32>,
    /// `rowsFailed`.
    pub rows_failed: Option<i32>,
    /// `rowsIgnored`.
    pub rows_ignored: Option<i32>,
    /// `importSummary`.
    pub import_summary: Option<String>,
}

/// The meaning of one CSV column.
#[derive(Debug, Clone)]
enum Column {
    Email,
    Field(String),
    Token(String),
}

/// Outcome of one row.
enum RowOutcome {
    Imported(i32, Vec<Attrib>),
    Ignored,
    Failed(String),
}

impl Store {
    /// Returns every import job, oldest first.
    pub fn import_jobs(&self) -> &[ImportJob] {
        &self.import_jobs
    }

    /// `importToList`: queues an import into a program's static list and returns
    /// PROCESSING.
    ///
    /// Faults: 20109 for an empty header or no rows, or token columns without
    /// `campaignName`; 20111 for an unknown program or list; 20113 for a campaign the
    /// program does not have.
    pub fn import_to_list(&mut self, request: &ImportToListRequest) -> SandboxResult<ImportStatus> {
        let now = self.begin_operation();
        let (program_id, list_id) =
            self.resolve_program_list(&request.program_name, &request.list_name)?;
        if request.import_file_header.trim().is_empty() {
            return Err(SandboxError::new(
                FaultCode::ParameterRequired,
                "importFileHeader is empty; pass the CSV header of field display names",
            ));
        }
        if request.import_file_rows.is_empty() {
            return Err(SandboxError::new(
                FaultCode::ParameterRequired,
                "importFileRows is empty; pass at least one CSV row",
            ));
        }

        let campaign_name = request
            .campaign_name
            .as_deref()
            .map(str::trim)
            .filter(|name| !name.is_empty());
        let campaign_id = match campaign_name {
            None => None,
            Some(name) => Some(self.campaign_in_program(program_id, name).ok_or_else(|| {
                SandboxError::new(
                    FaultCode::CampaignNotFound,
                    format!(
                        "program '{}' has no campaign named '{name}'",
                        request.program_name
                    ),
                )
            })?),
        };
        if campaign_id.is_none() && request.import_file_header.split(',').any(is_my_token) {
            return Err(SandboxError::new(
                FaultCode::ParameterRequired,
                "importFileHeader has My Token columns, so campaignName must name the campaign that uses them",
            ));
        }

        let id = self.next_import_job_id();
        self.import_jobs.push(ImportJob {
            id,
            program_id,
            list_id,
            campaign_id,
            mode: request.import_list_mode,
            clear_list: request.clear_list,
            header: request.import_file_header.clone(),
            rows: request.import_file_rows.clone(),
            status: ImportStatus::Processing,
            started_at: now,
            due_at: now + self.settings.import_processing_time(),
            ended_at: None,
            rows_imported: 0,
            rows_failed: 0,
            rows_ignored: 0,
            summary: None,
            tokens: Vec::new(),
        });
        Ok(ImportStatus::Processing)
    }

    /// `getImportToListStatus`: the status of the latest import into a program's list.
    ///
    /// Faults: 20111 for an unknown program or list, 20110 when no import into that list
    /// has been made.
    pub fn get_import_to_list_status(
        &mut self,
        program_name: &str,
        list_name: &str,
    ) -> SandboxResult<ImportToListStatus> {
        let now = self.begin_operation();
        let (_, list_id) = self.resolve_program_list(program_name, list_name)?;
        let job = self.import_jobs.iter().rev().find(|job| job.list_id == list_id).ok_or_else(|| {
            SandboxError::new(
                FaultCode::BadParameter,
                format!("no importToList call has been made for list '{list_name}' of program '{program_name}'"),
            )
        })?;

        let processing = job.status == ImportStatus::Processing;
        let seconds_left = ((job.due_at - now).num_milliseconds().max(0) + 999) / 1000;
        Ok(ImportToListStatus {
            status: job.status,
            started_time: Some(job.started_at),
            ended_time: job.ended_at,
            estimated_time: processing.then_some(seconds_left as i32),
            estimated_rows: Some(job.rows.len() as i32),
            rows_imported: Some(job.rows_imported),
            rows_failed: Some(job.rows_failed),
            rows_ignored: Some(job.rows_ignored),
            import_summary: job.summary.clone(),
        })
    }

    /// Runs every PROCESSING import job now, whatever its due time, and returns how many
    /// ran. Tests use it instead of waiting.
    pub fn finish_imports(&mut self) -> usize {
        let now = self.now();
        let due: Vec<usize> = (0..self.import_jobs.len())
            .filter(|index| self.import_jobs[*index].status == ImportStatus::Processing)
            .collect();
        for index in &due {
            self.run_import(*index, now);
        }
        due.len()
    }

    /// Runs the PROCESSING jobs whose due time has passed, oldest first. Each finishes
    /// at its due time, so its activities keep the log in time order.
    pub(crate) fn run_due_imports(&mut self, now: DateTime<Utc>) {
        for index in 0..self.import_jobs.len() {
            let job = &self.import_jobs[index];
            if job.status == ImportStatus::Processing && job.due_at <= now {
                let finished_at = job.due_at;
                self.run_import(index, finished_at);
            }
        }
    }

    fn run_import(&mut self, index: usize, at: DateTime<Utc>) {
        let job = self.import_jobs[index].clone();
        let list_name = self
            .lists
            .get(&job.list_id)
            .map(|list| list.name.clone())
            .unwrap_or_default();

        let columns = match self.map_import_header(&job.header, job.mode) {
            Ok(columns) => columns,
            Err(reason) => {
                let finished = &mut self.import_jobs[index];
                finished.status = ImportStatus::Failed;
                finished.ended_at = Some(at);
                finished.rows_failed = job.rows.len() as i32;
                finished.summary = Some(format!(
                    "Import into list '{list_name}' failed: {reason}. No rows were imported."
                ));
                return;
            }
        };

        if job.clear_list {
            if let Some(list) = self.lists.get_mut(&job.list_id) {
                list.members.clear();
            }
        }

        let (mut imported, mut failed, mut ignored) = (0, 0, 0);
        let mut row_errors = Vec::new();
        let mut tokens = Vec::new();
        for (row_index, row) in job.rows.iter().enumerate() {
            match self.import_row(&job, &columns, row, at) {
                RowOutcome::Imported(lead_id, row_tokens) => {
                    imported += 1;
                    if !row_tokens.is_empty() {
                        tokens.push(ImportedTokens {
                            lead_id,
                            tokens: row_tokens,
                        });
                    }
                }
                RowOutcome::Ignored => ignored += 1,
                RowOutcome::Failed(reason) => {
                    failed += 1;
                    row_errors.push(format!("row {}: {reason}", row_index + 1));
                }
            }
        }

        let mut summary = format!("Imported {imported} of {} rows into list '{list_name}': {failed} failed, {ignored} ignored.", job.rows.len());
        for error in row_errors.iter().take(MAX_SUMMARY_ROW_ERRORS) {
            summary.push(' ');
            summary.push_str(error);
            summary.push('.');
        }
        if row_errors.len() > MAX_SUMMARY_ROW_ERRORS {
            summary.push_str(&format!(
                " {} more rows failed.",
                row_errors.len() - MAX_SUMMARY_ROW_ERRORS
            ));
        }

        let finished = &mut self.import_jobs[index];
        finished.status = ImportStatus::Complete;
        finished.ended_at = Some(at);
        finished.rows_imported = imported;
        finished.rows_failed = failed;
        finished.rows_ignored = ignored;
        finished.summary = Some(summary);
        finished.tokens = tokens;
    }

    /// Maps header columns to lead fields by display name, or returns why the header is
    /// unusable.
    fn map_import_header(&self, header: &str, mode: ImportMode) -> Result<Vec<Column>, String> {
        let names = parse_csv_line(header)
            .map_err(|error| format!("the header is not valid CSV ({error})"))?;
        for (index, name) in names.iter().enumerate() {
            if names[..index]
                .iter()
                .any(|earlier| same_name(earlier, name))
            {
                return Err(format!("column '{}' appears more than once", name.trim()));
            }
        }

        let mut columns: Vec<Column> = Vec::with_capacity(names.len());
        for name in &names {
            let name = name.trim();
            let column = if is_my_token(name) {
                Column::Token(name.to_string())
            } else {
                let field = self.lead_field_by_display_name(name).ok_or_else(|| match self.lead_field(name) {
                    Some(field) => format!("column '{name}' is an API name; the header needs display names, here '{}'", field.display_name),
                    None => format!("column '{name}' is not the display name of a lead field"),
                })?;
                if field.read_only {
                    return Err(format!("column '{name}' is a read-only field"));
                }
                if field.name == "Email" {
                    Column::Email
                } else {
                    Column::Field(field.name.clone())
                }
            };
            columns.push(column);
        }
        if !columns.iter().any(|column| matches!(column, Column::Email)) {
            return Err(format!(
                "the header has no 'Email Address' column, which {} imports need to find leads",
                mode.as_str()
            ));
        }
        Ok(columns)
    }

    fn import_row(
        &mut self,
        job: &ImportJob,
        columns: &[Column],
        row: &str,
        at: DateTime<Utc>,
    ) -> RowOutcome {
        if row.trim().is_empty() {
            return RowOutcome::Ignored;
        }
        let values = match parse_csv_line(row) {
            Ok(values) => values,
            Err(error) => return RowOutcome::Failed(format!("not valid CSV ({error})")),
        };
        if values.len() != columns.len() {
            return RowOutcome::Failed(format!(
                "{} values for {} columns",
                values.len(),
                columns.len()
            ));
        }

        let mut email = None;
        let mut attributes = Vec::new();
        let mut tokens = Vec::new();
        for (column, value) in columns.iter().zip(values) {
            match column {
                Column::Email => {
                    email = Some(value.trim().to_string()).filter(|email| !email.is_empty())
                }
                Column::Field(name) => attributes.push(Attribute::new(name, value)),
                Column::Token(name) => tokens.push(Attrib::new(name, value)),
            }
        }
        let Some(email) = email else {
            return RowOutcome::Failed("the Email Address is empty".into());
        };
        if let Err(reason) = check_email(&email) {
            return RowOutcome::Failed(format!("Email Address {reason}"));
        }

        let lead_id = match job.mode {
            ImportMode::UpsertLeads => {
                match self.upsert_imported_lead(&email, &attributes, IMPORT_SOURCE, at) {
                    Ok(lead_id) => lead_id,
                    Err(error) => return RowOutcome::Failed(error.message),
                }
            }
            ImportMode::ListOnly => match self.find_leads(&super::leads::LeadKey::email(&email)) {
                Ok(ids) => match ids.last() {
                    Some(lead_id) => *lead_id,
                    None => return RowOutcome::Ignored,
                },
                Err(error) => return RowOutcome::Failed(error.message),
            },
        };
        self.add_to_list(job.list_id, lead_id, true, at);
        RowOutcome::Imported(lead_id, tokens)
    }
}

/// Parses one CSV line into its fields.
fn parse_csv_line(line: &str) -> Result<Vec<String>, csv::Error> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(line.as_bytes());
    match reader.records().next() {
        None => Ok(Vec::new()),
        Some(record) => Ok(record?.iter().map(str::to_string).collect()),
    }
}
