//! The sandbox over HTTP: every operation through the real `mktows` client against the
//! seed data, the faults raised before an operation runs, the WSDL download, the API
//! limits and the data file.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use mktows::types::*;
use mktows::{FixedClock, MktowsPort, Nillable, Operation};
use mktows_sandbox::clock::ManualClock;
use mktows_sandbox::limits::LimitsConfig;
use mktows_sandbox::server::{RunningSandbox, Sandbox, SandboxConfig, ServerError};

const USER_ID: &str = "server_test_user";
const SECRET_KEY: &str = "server-test-secret";

fn config() -> SandboxConfig {
    SandboxConfig {
        user_id: Some(USER_ID.into()),
        secret_key: Some(SECRET_KEY.into()),
        ..SandboxConfig::default()
    }
}

async fn start() -> RunningSandbox {
    start_with(config()).await
}

async fn start_with(config: SandboxConfig) -> RunningSandbox {
    Sandbox::start(config).await.expect("the sandbox starts")
}

/// A client without retries, so each fault a test provokes comes back as it was sent.
fn client(sandbox: &RunningSandbox) -> mktows::Client {
    sandbox
        .client_builder()
        .retry(mktows::RetryPolicy::none())
        .build()
        .expect("the client builds")
}

/// Returns the Marketo code of a fault, failing the test for any other error.
fn fault_number(error: &mktows::Error) -> u32 {
    match error.fault_code() {
        Some(code) => code.code(),
        None => panic!("expected a SOAP fault, got: {error}"),
    }
}

fn lead_key(key_type: LeadKeyRef, value: &str) -> LeadKey {
    LeadKey {
        key_type,
        key_value: value.into(),
    }
}

fn strings(items: &[&str]) -> ArrayOfString {
    ArrayOfString {
        string_item: items.iter().map(|item| item.to_string()).collect(),
    }
}

fn attribute(name: &str, value: &str) -> Attribute {
    Attribute {
        attr_name: name.into(),
        attr_type: None,
        attr_value: value.into(),
    }
}

fn attributes(pairs: &[(&str, &str)]) -> ArrayOfAttribute {
    ArrayOfAttribute {
        attribute: pairs
            .iter()
            .map(|(name, value)| attribute(name, value))
            .collect(),
    }
}

fn attrib(name: &str, value: &str) -> Attrib {
    Attrib {
        name: name.into(),
        value: value.into(),
    }
}

fn get_lead_request(key_type: LeadKeyRef, value: &str) -> ParamsGetLead {
    ParamsGetLead {
        lead_key: lead_key(key_type, value),
    }
}

fn lead_records(list: Option<Nillable<ArrayOfLeadRecord>>) -> Vec<LeadRecord> {
    list.and_then(Nillable::into_value)
        .map(|list| list.lead_record)
        .unwrap_or_default()
}

fn attribute_value<'a>(record: &'a LeadRecord, name: &str) -> Option<&'a str> {
    let list = record.lead_attribute_list.as_ref()?.as_value()?;
    list.attribute
        .iter()
        .find(|attribute| attribute.attr_name == name)
        .map(|attribute| attribute.attr_value.as_str())
}

fn new_lead(email: &str, first_name: &str) -> LeadRecord {
    LeadRecord {
        id: None,
        email: Some(Nillable::Value(email.into())),
        foreign_sys_person_id: None,
        foreign_sys_type: None,
        lead_attribute_list: Some(Nillable::Value(attributes(&[("FirstName", first_name)]))),
    }
}

fn sync_lead_request(record: LeadRecord) -> ParamsSyncLead {
    ParamsSyncLead {
        lead_record: record,
        return_lead: true,
        marketo_cookie: None,
    }
}

/// A scratch directory under the system's temporary directory, removed on drop.
struct ScratchDir(PathBuf);

impl ScratchDir {
    fn new(name: &str) -> Self {
        let path =
            std::env::temp_dir().join(format!("mktows-sandbox-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("the scratch directory is created");
        ScratchDir(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A raw HTTP response: status, content type and body.
struct RawResponse {
    status: u16,
    content_type: String,
    body: String,
}

impl RawResponse {
    fn fault_number(&self) -> u32 {
        let fault = mktows::SoapFault::parse(self.body.as_bytes())
            .unwrap_or_else(|error| panic!("no SOAP fault ({error}) in: {}", self.body));
        fault.code.code()
    }
}

async fn raw_request(
    method: &str,
    url: &str,
    soap_action: Option<&str>,
    body: String,
) -> RawResponse {
    let http = mktows::reqwest::Client::new();
    let method = mktows::reqwest::Method::from_bytes(method.as_bytes()).expect("valid method");
    let mut request = http
        .request(method, url)
        .header("Content-Type", "text/xml; charset=utf-8")
        .body(body);
    if let Some(action) = soap_action {
        request = request.header("SOAPAction", action);
    }
    let response = request.send().await.expect("the sandbox answers");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.text().await.expect("the body is text");
    RawResponse {
        status,
        content_type,
        body,
    }
}

/// Returns a signed `AuthenticationHeader` element for now.
fn authentication_header(user_id: &str, key: &str) -> String {
    signed_authentication_header(user_id, key).0
}

/// Returns a signed `AuthenticationHeader` element for now, and its signature.
fn signed_authentication_header(user_id: &str, key: &str) -> (String, String) {
    let timestamp = mktows::auth::format_timestamp(Utc::now().fixed_offset());
    let signature = mktows::auth::sign(&mktows::EncryptionKey::new(key), &timestamp, user_id);
    let header = format!(
        "<ns1:AuthenticationHeader><mktowsUserId>{user_id}</mktowsUserId><requestSignature>{signature}</requestSignature><requestTimestamp>{timestamp}</requestTimestamp></ns1:AuthenticationHeader>"
    );
    (header, signature)
}

fn envelope(header: &str, body: &str) -> String {
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/">"#,
            "<SOAP-ENV:Header>{}</SOAP-ENV:Header><SOAP-ENV:Body>{}</SOAP-ENV:Body></SOAP-ENV:Envelope>"
        ),
        header, body
    )
}

fn signed_envelope(body: &str) -> String {
    envelope(&authentication_header(USER_ID, SECRET_KEY), body)
}

// ---------------------------------------------------------------------------------------
// Leads
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn get_lead_by_email() {
    let sandbox = start().await;

    let response = client(&sandbox)
        .get_lead(get_lead_request(
            LeadKeyRef::Email,
            "ada.quill@lumenfield.example",
        ))
        .await
        .unwrap();

    assert_eq!(response.result.count, 1);
    let records = lead_records(response.result.lead_record_list);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].id, Some(Nillable::Value(1001)));
    assert_eq!(attribute_value(&records[0], "FirstName"), Some("Ada"));
}

#[tokio::test]
async fn get_lead_shared_email_returns_both() {
    let sandbox = start().await;

    let response = client(&sandbox)
        .get_lead(get_lead_request(
            LeadKeyRef::Email,
            "kofi@baobabcloud.example",
        ))
        .await
        .unwrap();

    let ids: Vec<_> = lead_records(response.result.lead_record_list)
        .into_iter()
        .map(|record| record.id)
        .collect();
    assert_eq!(response.result.count, 2);
    assert_eq!(
        ids,
        vec![Some(Nillable::Value(1011)), Some(Nillable::Value(1012))]
    );
}

#[tokio::test]
async fn get_lead_unknown_is_20103() {
    let sandbox = start().await;

    let error = client(&sandbox)
        .get_lead(get_lead_request(LeadKeyRef::Idnum, "424242"))
        .await
        .unwrap_err();

    assert_eq!(fault_number(&error), 20103);
    let fault = error.fault().unwrap();
    assert_eq!(fault.fault_code, "SOAP-ENV:Client");
    assert!(
        fault.fault_string.starts_with("20103 - "),
        "{}",
        fault.fault_string
    );
}

#[tokio::test]
async fn get_multiple_leads_pages_with_stream_position() {
    let sandbox = start().await;
    let client = client(&sandbox);
    let request = |position: Option<String>| ParamsGetMultipleLeads {
        lead_selector: Some(LeadSelector::LeadKeySelector(LeadKeySelector {
            key_type: LeadKeyRef::Idnum,
            key_values: strings(&["1001", "1002", "1003"]),
        })),
        last_updated_at: None,
        stream_position: position.map(Nillable::Value),
        batch_size: Some(Nillable::Value(2)),
        include_attributes: Some(strings(&["LastName"])),
    };

    let first = client
        .get_multiple_leads(request(None))
        .await
        .unwrap()
        .result;
    let second = client
        .get_multiple_leads(request(Some(first.new_stream_position.clone())))
        .await
        .unwrap()
        .result;

    assert_eq!(first.return_count, 2);
    assert_eq!(first.remaining_count, 1);
    assert!(!first.new_stream_position.is_empty());
    assert_eq!(second.return_count, 1);
    assert_eq!(second.remaining_count, 0);
    let last = lead_records(second.lead_record_list);
    assert_eq!(last[0].id, Some(Nillable::Value(1003)));
    assert_eq!(attribute_value(&last[0], "LastName"), Some("Bellini"));
    assert_eq!(
        attribute_value(&last[0], "FirstName"),
        None,
        "includeAttributes must limit the attributes"
    );
}

#[tokio::test]
async fn sync_lead_creates_then_updates() {
    let sandbox = start().await;
    let client = client(&sandbox);

    let created = client
        .sync_lead(
            sync_lead_request(new_lead("lio.marsh@quarrytech.example", "Lio")),
            None,
        )
        .await
        .unwrap()
        .result;
    let updated = client
        .sync_lead(
            sync_lead_request(new_lead("lio.marsh@quarrytech.example", "Lionel")),
            None,
        )
        .await
        .unwrap()
        .result;

    assert_eq!(created.sync_status.status, LeadSyncStatus::Created);
    assert_eq!(updated.sync_status.status, LeadSyncStatus::Updated);
    assert_eq!(created.lead_id, updated.lead_id);
    let record = updated
        .lead_record
        .and_then(Nillable::into_value)
        .expect("returnLead returns the record");
    assert_eq!(attribute_value(&record, "FirstName"), Some("Lionel"));
}

#[tokio::test]
async fn sync_lead_passes_context_header() {
    let sandbox = start().await;
    let context = MktowsContextHeaderInfo {
        target_workspace: "Nowhere Workspace".into(),
    };

    let error = client(&sandbox)
        .sync_lead(
            sync_lead_request(new_lead("ctx@quarrytech.example", "Ctx")),
            Some(context),
        )
        .await
        .unwrap_err();

    // The store has only the Default workspace, so the header must have reached it.
    assert_eq!(fault_number(&error), 20110);
}

#[tokio::test]
async fn sync_multiple_leads_reports_each_record() {
    let sandbox = start().await;
    let update = LeadRecord {
        id: Some(Nillable::Value(1003)),
        email: None,
        foreign_sys_person_id: None,
        foreign_sys_type: None,
        lead_attribute_list: Some(Nillable::Value(attributes(&[("Title", "Head of Quality")]))),
    };
    let request = ParamsSyncMultipleLeads {
        lead_record_list: ArrayOfLeadRecord {
            lead_record: vec![update, new_lead("mira.sol@quarrytech.example", "Mira")],
        },
        dedup_enabled: Some(Nillable::Value(true)),
    };

    let response = client(&sandbox).sync_multiple_leads(request).await.unwrap();

    let statuses = response.result.sync_status_list.sync_status;
    assert_eq!(statuses.len(), 2);
    assert_eq!(
        (statuses[0].lead_id, &statuses[0].status),
        (1003, &LeadSyncStatus::Updated)
    );
    assert_eq!(statuses[1].status, LeadSyncStatus::Created);
    let title = sandbox.with_store(|store| {
        store
            .lead_record(1003, None)
            .unwrap()
            .attribute("Title")
            .map(str::to_owned)
    });
    assert_eq!(title.as_deref(), Some("Head of Quality"));
}

#[tokio::test]
async fn merge_leads_removes_loser() {
    let sandbox = start().await;
    let client = client(&sandbox);
    let request = ParamsMergeLeads {
        winning_lead_key_list: attributes(&[("IDNUM", "1012")]),
        losing_lead_key_lists: ArrayOfKeyList {
            key_list: vec![attributes(&[("IDNUM", "1011")])],
        },
    };

    let status = client
        .merge_leads(request)
        .await
        .unwrap()
        .result
        .merge_status;
    let lookup = client
        .get_lead(get_lead_request(LeadKeyRef::Idnum, "1011"))
        .await
        .unwrap_err();

    assert_eq!(status.status, LeadMergeStatusEnum::Merged);
    assert_eq!(status.winning_lead_id, Some(Nillable::Value(1012)));
    assert_eq!(
        status.losing_lead_id_list,
        Some(Nillable::Value(ArrayOfInteger {
            integer_item: vec![1011]
        }))
    );
    assert_eq!(fault_number(&lookup), 20103);
}

// ---------------------------------------------------------------------------------------
// Activities
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn get_lead_activity_returns_one_lead() {
    let sandbox = start().await;
    let request = ParamsGetLeadActivity {
        lead_key: lead_key(LeadKeyRef::Idnum, "1001"),
        activity_filter: None,
        start_position: None,
        batch_size: Some(Nillable::Value(50)),
    };

    let list = client(&sandbox)
        .get_lead_activity(request)
        .await
        .unwrap()
        .lead_activity_list;

    let records = list
        .activity_record_list
        .and_then(Nillable::into_value)
        .map(|list| list.activity_record)
        .unwrap_or_default();
    assert!(list.return_count > 0);
    assert_eq!(records.len(), list.return_count as usize);
    assert!(records.iter().all(|record| record.mkt_person_id == "1001"));
    assert!(
        records.windows(2).all(|pair| pair[0].id > pair[1].id),
        "newest first"
    );
}

#[tokio::test]
async fn get_lead_changes_filters_by_type() {
    let sandbox = start().await;
    let request = ParamsGetLeadChanges {
        start_position: StreamPosition {
            latest_created_at: None,
            oldest_created_at: Some(Nillable::Value(
                Utc.with_ymd_and_hms(2024, 3, 1, 0, 0, 0)
                    .unwrap()
                    .fixed_offset(),
            )),
            activity_created_at: None,
            offset: None,
        },
        activity_filter: Some(Nillable::Value(ActivityTypeFilter {
            include_types: Some(ArrayOfActivityType {
                activity_type: vec![ActivityType::NewLead],
            }),
            exclude_types: None,
        })),
        activity_name_filter: None,
        batch_size: Some(Nillable::Value(100)),
        lead_selector: None,
    };

    let result = client(&sandbox)
        .get_lead_changes(request)
        .await
        .unwrap()
        .result;

    let records = result
        .lead_change_record_list
        .and_then(Nillable::into_value)
        .map(|list| list.lead_change_record)
        .unwrap_or_default();
    assert!(result.return_count > 0);
    assert!(
        records
            .iter()
            .all(|record| record.activity_type == "New Lead"),
        "only New Lead activities"
    );
    assert!(
        records.windows(2).all(|pair| pair[0].id < pair[1].id),
        "oldest first"
    );
}

// ---------------------------------------------------------------------------------------
// Lists and imports
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn list_operation_adds_then_checks() {
    let sandbox = start().await;
    let client = client(&sandbox);
    let request = |operation: ListOperationType| ParamsListOperation {
        list_operation: operation,
        list_key: ListKey {
            key_type: ListKeyType::Mktolistname,
            key_value: "VIP Accounts".into(),
        },
        list_member_list: ArrayOfLeadKey {
            lead_key: vec![
                lead_key(LeadKeyRef::Idnum, "1004"),
                lead_key(LeadKeyRef::Idnum, "1008"),
            ],
        },
        strict: Some(Nillable::Value(false)),
        skip_activity_log: None,
    };

    let added = client
        .list_operation(request(ListOperationType::Addtolist))
        .await
        .unwrap()
        .result;
    let checked = client
        .list_operation(request(ListOperationType::Ismemberoflist))
        .await
        .unwrap()
        .result;

    assert!(added.success);
    let statuses = checked
        .status_list
        .and_then(Nillable::into_value)
        .map(|list| list.lead_status)
        .unwrap_or_default();
    assert_eq!(statuses.len(), 2);
    assert!(
        statuses.iter().all(|status| status.status),
        "both leads are members after ADDTOLIST"
    );
    assert_eq!(statuses[0].lead_key, lead_key(LeadKeyRef::Idnum, "1004"));
}

#[tokio::test]
async fn import_to_list_completes() {
    let sandbox = start().await;
    let client = client(&sandbox);
    let import = ParamsImportToList {
        program_name: "Spring Roadshow 2024".into(),
        import_file_header: "Email Address,First Name,Last Name".into(),
        import_file_rows: strings(&[
            "ola.berg@quarrytech.example,Ola,Berg",
            "ada.quill@lumenfield.example,Ada,Quill",
        ]),
        import_list_mode: ImportToListModeEnum::Upsertleads,
        list_name: "Invited".into(),
        clear_list: false,
        campaign_name: Nillable::Nil,
    };
    let status_request = || ParamsGetImportToListStatus {
        program_name: Some("Spring Roadshow 2024".into()),
        list_name: Some("Invited".into()),
    };

    let started = client.import_to_list(import).await.unwrap().result;
    let processing = client
        .get_import_to_list_status(status_request())
        .await
        .unwrap()
        .result;
    let finished = sandbox.with_store(|store| store.finish_imports());
    let complete = client
        .get_import_to_list_status(status_request())
        .await
        .unwrap()
        .result;

    assert_eq!(started.import_status, ImportToListStatusEnum::Processing);
    assert_eq!(processing.status, ImportToListStatusEnum::Processing);
    assert_eq!(finished, 1);
    assert_eq!(complete.status, ImportToListStatusEnum::Complete);
    assert_eq!(complete.rows_imported, Some(Nillable::Value(2)));
    assert_eq!(complete.rows_failed, Some(Nillable::Value(0)));
}

#[tokio::test]
async fn import_status_without_list_is_20109() {
    let sandbox = start().await;
    let request = ParamsGetImportToListStatus {
        program_name: Some("Spring Roadshow 2024".into()),
        list_name: None,
    };

    let error = client(&sandbox)
        .get_import_to_list_status(request)
        .await
        .unwrap_err();

    assert_eq!(fault_number(&error), 20109);
}

// ---------------------------------------------------------------------------------------
// Campaigns
// ---------------------------------------------------------------------------------------

async fn requestable_campaigns(client: &mktows::Client) -> Vec<CampaignRecord> {
    let request = ParamsGetCampaignsForSource {
        source: ReqCampSourceType::Mktows,
        name: None,
        exact_name: None,
    };
    let result = client
        .get_campaigns_for_source(request)
        .await
        .unwrap()
        .result;
    assert_eq!(
        result.return_count as usize,
        result
            .campaign_record_list
            .as_ref()
            .and_then(Nillable::as_value)
            .map_or(0, |list| list.campaign_record.len())
    );
    result
        .campaign_record_list
        .and_then(Nillable::into_value)
        .map(|list| list.campaign_record)
        .unwrap_or_default()
}

#[tokio::test]
async fn get_campaigns_for_source_lists_requestable() {
    let sandbox = start().await;

    let names: Vec<String> = requestable_campaigns(&client(&sandbox))
        .await
        .into_iter()
        .map(|record| record.name)
        .collect();

    assert!(
        names.contains(&"Spring Roadshow 2024.Send Invitation".to_owned()),
        "{names:?}"
    );
    assert!(
        !names.iter().any(|name| name.contains("Sales Nudge")),
        "Sales Nudge is requestable by SALES only: {names:?}"
    );
    assert!(
        !names.iter().any(|name| name.contains("Thank Attendees")),
        "batch campaigns are not requestable: {names:?}"
    );
}

#[tokio::test]
async fn request_campaign_by_id_records_request() {
    let sandbox = start().await;
    let client = client(&sandbox);
    let campaign = requestable_campaigns(&client)
        .await
        .into_iter()
        .find(|record| record.name.ends_with("Send Invitation"))
        .unwrap();
    let request = ParamsRequestCampaign {
        source: ReqCampSourceType::Mktows,
        campaign_id: Some(Nillable::Value(campaign.id)),
        lead_list: Some(Nillable::Value(ArrayOfLeadKey {
            lead_key: vec![lead_key(LeadKeyRef::Idnum, "1003")],
        })),
        program_name: None,
        campaign_name: None,
        program_token_list: None,
    };

    let result = client.request_campaign(request).await.unwrap().result;

    assert!(result.success);
    let recorded = sandbox.with_store(|store| store.campaign_requests().to_vec());
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].campaign_id, campaign.id);
    assert_eq!(recorded[0].lead_ids, vec![1003]);
}

#[tokio::test]
async fn schedule_campaign_with_tokens() {
    let sandbox = start().await;
    let request = ParamsScheduleCampaign {
        program_name: "Spring Roadshow 2024".into(),
        campaign_name: "Thank Attendees".into(),
        campaign_run_at: None,
        program_token_list: Some(Nillable::Value(ArrayOfAttrib {
            attrib: vec![attrib("{{my.City}}", "Tacoma")],
        })),
    };

    let result = client(&sandbox)
        .schedule_campaign(request)
        .await
        .unwrap()
        .result;

    assert!(result.success);
    let schedules = sandbox.with_store(|store| store.campaign_schedules().to_vec());
    assert_eq!(schedules.len(), 1);
    assert_eq!(schedules[0].tokens.len(), 1);
}

// ---------------------------------------------------------------------------------------
// Custom objects
// ---------------------------------------------------------------------------------------

fn custom_object_keys(lead_id: &str, code_name: &str, code: &str) -> ArrayOfAttribute {
    attributes(&[("leadId", lead_id), (code_name, code)])
}

#[tokio::test]
async fn get_custom_objects_by_lead() {
    let sandbox = start().await;
    let request = ParamsGetCustomObjects {
        obj_type_name: "BoothVisit".into(),
        stream_position: None,
        batch_size: Some(Nillable::Value(10)),
        custom_obj_key_list: Some(Nillable::Value(attributes(&[("leadId", "1001")]))),
        include_attributes: strings(&["city"]),
    };

    let result = client(&sandbox)
        .get_custom_objects(request)
        .await
        .unwrap()
        .result;

    let objects = result
        .custom_obj_list
        .and_then(Nillable::into_value)
        .map(|list| list.custom_obj)
        .unwrap_or_default();
    assert_eq!(result.obj_type_name, "BoothVisit");
    assert_eq!(result.return_count, 2);
    assert_eq!(objects.len(), 2);
    assert_eq!(result.remaining_count, 0);
}

#[tokio::test]
async fn sync_then_delete_custom_object() {
    let sandbox = start().await;
    let client = client(&sandbox);
    let sync = ParamsSyncCustomObjects {
        obj_type_name: "BoothVisit".into(),
        custom_obj_list: ArrayOfCustomObj {
            custom_obj: vec![CustomObj {
                custom_obj_key_list: Some(Nillable::Value(custom_object_keys(
                    "1004",
                    "visitCode",
                    "BV-DEN-009",
                ))),
                custom_obj_attribute_list: Some(Nillable::Value(attributes(&[
                    ("city", "Denver"),
                    ("boothNumber", "9"),
                ]))),
            }],
        },
        operation: Some(Nillable::Value(SyncOperationEnum::Upsert)),
    };
    let delete = ParamsDeleteCustomObjects {
        obj_type_name: "BoothVisit".into(),
        custom_obj_key_lists: ArrayOfKeyList {
            key_list: vec![custom_object_keys("1004", "visitCode", "BV-DEN-009")],
        },
    };

    let synced = client
        .sync_custom_objects(sync)
        .await
        .unwrap()
        .result
        .sync_custom_obj_status_list
        .sync_custom_obj_status;
    let deleted = client
        .delete_custom_objects(delete)
        .await
        .unwrap()
        .result
        .delete_custom_obj_status_list
        .sync_custom_obj_status;

    assert_eq!(synced.len(), 1);
    assert_eq!(synced[0].status, SyncStatusEnum::Created);
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0].status, SyncStatusEnum::Deleted);
}

// ---------------------------------------------------------------------------------------
// MObjects
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn list_m_objects_names_opportunity() {
    let sandbox = start().await;

    let objects = client(&sandbox)
        .list_m_objects(ParamsListMObjects {})
        .await
        .unwrap()
        .result
        .objects;

    assert!(
        objects.iter().any(|name| name == "Opportunity"),
        "{objects:?}"
    );
}

#[tokio::test]
async fn describe_m_object_lists_fields() {
    let sandbox = start().await;

    let metadata = client(&sandbox)
        .describe_m_object(ParamsDescribeMObject {
            object_name: "Opportunity".into(),
        })
        .await
        .unwrap()
        .result
        .metadata;

    assert_eq!(metadata.name, "Opportunity");
    assert!(metadata
        .field_list
        .field
        .iter()
        .any(|field| field.name == "Name"));
}

fn opportunity_query(id: i32) -> ParamsGetMObjects {
    ParamsGetMObjects {
        r#type: "Opportunity".into(),
        id: Some(id),
        external_key: None,
        m_obj_criteria_list: None,
        m_obj_association_list: None,
        include_details: None,
        stream_position: None,
    }
}

#[tokio::test]
async fn get_m_objects_by_id() {
    let sandbox = start().await;

    let result = client(&sandbox)
        .get_m_objects(opportunity_query(1))
        .await
        .unwrap()
        .result;

    let objects = result
        .m_object_list
        .map(|list| list.m_object)
        .unwrap_or_default();
    assert_eq!(result.return_count, 1);
    assert!(!result.has_more);
    assert_eq!(objects[0].id, Some(1));
    let names: Vec<&str> = objects[0]
        .attrib_list
        .iter()
        .flat_map(|list| &list.attrib)
        .filter(|a| a.name == "Name")
        .map(|a| a.value.as_str())
        .collect();
    assert_eq!(names, vec!["Lumenfield - FS sensor rollout"]);
}

fn opportunity_stub() -> MObject {
    MObject {
        r#type: "Opportunity".into(),
        id: None,
        external_key: None,
        created_at: None,
        updated_at: None,
        attrib_list: None,
        type_attrib_list: None,
        association_list: None,
    }
}

#[tokio::test]
async fn sync_then_delete_m_object() {
    let sandbox = start().await;
    let client = client(&sandbox);
    let mut opportunity = opportunity_stub();
    opportunity.attrib_list = Some(ArrayOfAttrib {
        attrib: vec![
            attrib("Name", "Quarry Tech - pilot"),
            attrib("Amount", "1200"),
        ],
    });
    let sync = ParamsSyncMObjects {
        m_object_list: ArrayOfMObject {
            m_object: vec![opportunity],
        },
        operation: SyncOperationEnum::Upsert,
    };

    let created = client
        .sync_m_objects(sync)
        .await
        .unwrap()
        .result
        .m_obj_status_list
        .m_obj_status;
    let new_id = created[0].id;
    let mut target = opportunity_stub();
    target.id = Some(new_id);
    let delete = ParamsDeleteMObjects {
        m_object_list: ArrayOfMObject {
            m_object: vec![target],
        },
    };
    let deleted = client
        .delete_m_objects(delete)
        .await
        .unwrap()
        .result
        .m_obj_status_list
        .m_obj_status;
    let lookup = client
        .get_m_objects(opportunity_query(new_id))
        .await
        .unwrap()
        .result;

    assert_eq!(created[0].status, MObjStatusEnum::Created);
    assert!(new_id > 0);
    assert_eq!(deleted[0].status, MObjStatusEnum::Deleted);
    assert_eq!(lookup.return_count, 0);
}

// ---------------------------------------------------------------------------------------
// Tags and channels
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn get_tags_returns_requested_values() {
    let sandbox = start().await;
    let request = ParamsGetTags {
        tag_list: Some(ArrayOfTag {
            tag: vec![Tag {
                r#type: Some("Region".into()),
                values: Some(strings(&["EMEA", "Atlantis"])),
            }],
        }),
    };

    let tags = client(&sandbox)
        .get_tags(request)
        .await
        .unwrap()
        .result
        .tag_list
        .tag;

    assert_eq!(tags.len(), 1);
    assert_eq!(tags[0].r#type.as_deref(), Some("Region"));
    assert_eq!(tags[0].values, Some(strings(&["EMEA"])));
}

#[tokio::test]
async fn get_channels_returns_statuses() {
    let sandbox = start().await;
    let request = ParamsGetChannels {
        tag: Some(Tag {
            r#type: Some("Channel".into()),
            values: Some(strings(&["Webinar"])),
        }),
    };

    let tags = client(&sandbox)
        .get_channels(request)
        .await
        .unwrap()
        .result
        .tags
        .tag_status;

    assert_eq!(tags.len(), 1);
    assert_eq!(tags[0].tag_value, "Webinar");
    assert_eq!(tags[0].status_list.progression_status_item.len(), 5);
}

// ---------------------------------------------------------------------------------------
// Authentication and envelope faults
// ---------------------------------------------------------------------------------------

fn list_m_objects() -> ParamsListMObjects {
    ParamsListMObjects {}
}

#[tokio::test]
async fn wrong_key_is_20014() {
    let sandbox = start().await;
    let client = mktows::Client::builder(sandbox.endpoint(), USER_ID, "not-the-key")
        .build()
        .unwrap();

    let error = client.list_m_objects(list_m_objects()).await.unwrap_err();

    assert_eq!(fault_number(&error), 20014);
    assert_eq!(
        error.fault().unwrap().fault_string,
        "20014 - Authentication failed"
    );
}

#[tokio::test]
async fn unknown_user_is_20014() {
    let sandbox = start().await;
    let client = mktows::Client::builder(sandbox.endpoint(), "someone_else", SECRET_KEY)
        .build()
        .unwrap();

    let error = client.list_m_objects(list_m_objects()).await.unwrap_err();

    assert_eq!(fault_number(&error), 20014);
}

#[tokio::test]
async fn missing_authentication_header_is_20014() {
    let sandbox = start().await;

    let response = raw_request(
        "POST",
        sandbox.endpoint(),
        None,
        envelope("", "<ns1:paramsListMObjects/>"),
    )
    .await;

    assert_eq!(response.status, 500);
    assert_eq!(response.fault_number(), 20014);
}

#[tokio::test]
async fn control_character_gets_20012() {
    let sandbox = start().await;
    let client = client(&sandbox);
    for first_name in ["A&#1;B", "A\u{1}B"] {
        let body = signed_envelope(&format!(
            "<ns1:paramsSyncLead><leadRecord><Email>control.char@example.net</Email><leadAttributeList>\
             <attribute><attrName>FirstName</attrName><attrValue>{first_name}</attrValue></attribute>\
             </leadAttributeList></leadRecord><returnLead>false</returnLead></ns1:paramsSyncLead>"
        ));

        let response = raw_request("POST", sandbox.endpoint(), Some("syncLead"), body).await;

        assert_eq!(response.status, 500, "{first_name}");
        assert_eq!(
            response.fault_number(),
            20012,
            "{first_name}: {}",
            response.body
        );
        assert!(
            response.body.contains("U+0001"),
            "the message names the character: {}",
            response.body
        );
    }

    let lookup = client
        .get_lead(get_lead_request(
            LeadKeyRef::Email,
            "control.char@example.net",
        ))
        .await
        .unwrap_err();
    assert_eq!(fault_number(&lookup), 20103, "no lead was created");
}

#[tokio::test]
async fn request_cut_after_body_element_is_20012() {
    let sandbox = start().await;
    let body = signed_envelope("<ns1:paramsListMObjects/>");
    let cut = body[..body.find("</SOAP-ENV:Body>").unwrap()].to_owned();

    let response = raw_request("POST", sandbox.endpoint(), Some("listMObjects"), cut).await;

    assert_eq!(response.status, 500);
    assert_eq!(response.fault_number(), 20012, "{}", response.body);
}

#[tokio::test]
async fn repeated_key_value_is_20110() {
    let sandbox = start().await;
    let body = signed_envelope(
        "<ns1:paramsGetLead><leadKey><keyType>IDNUM</keyType><keyValue>1001</keyValue>\
         <keyValue>1002</keyValue></leadKey></ns1:paramsGetLead>",
    );

    let response = raw_request("POST", sandbox.endpoint(), Some("getLead"), body).await;

    assert_eq!(response.status, 500);
    assert_eq!(response.fault_number(), 20110, "{}", response.body);
    assert!(
        response.body.contains("keyValue"),
        "the message names the element: {}",
        response.body
    );
}

#[tokio::test]
async fn repeated_authentication_header_is_20014() {
    let sandbox = start().await;
    let valid = authentication_header(USER_ID, SECRET_KEY);
    let other = authentication_header("someone_else", "another-key");

    let response = raw_request(
        "POST",
        sandbox.endpoint(),
        Some("listMObjects"),
        envelope(&(valid + &other), "<ns1:paramsListMObjects/>"),
    )
    .await;

    assert_eq!(response.status, 500);
    assert_eq!(response.fault_number(), 20014);
    assert!(
        response.body.contains("more than once"),
        "the message says why: {}",
        response.body
    );
}

#[tokio::test]
async fn stale_timestamp_is_20016() {
    let sandbox = start().await;
    let two_hours_ago = Utc::now().fixed_offset() - chrono::Duration::hours(2);
    let client = sandbox
        .client_builder()
        .clock(Arc::new(FixedClock::new(two_hours_ago)))
        .retry(mktows::RetryPolicy::none())
        .build()
        .unwrap();

    let error = client.list_m_objects(list_m_objects()).await.unwrap_err();

    assert_eq!(fault_number(&error), 20016);
}

#[tokio::test]
async fn timestamp_window_is_configurable() {
    let sandbox = start_with(SandboxConfig {
        timestamp_window: Duration::from_secs(3 * 3600),
        ..config()
    })
    .await;
    let two_hours_ago = Utc::now().fixed_offset() - chrono::Duration::hours(2);
    let client = sandbox
        .client_builder()
        .clock(Arc::new(FixedClock::new(two_hours_ago)))
        .retry(mktows::RetryPolicy::none())
        .build()
        .unwrap();

    let result = client.list_m_objects(list_m_objects()).await;

    assert!(
        result.is_ok(),
        "a 2-hour-old timestamp is inside a 3-hour window: {result:?}"
    );
}

#[tokio::test]
async fn unknown_operation_is_20019() {
    let sandbox = start().await;
    let body = signed_envelope("<ns1:paramsRenameLead><leadId>7</leadId></ns1:paramsRenameLead>");

    let response = raw_request(
        "POST",
        sandbox.endpoint(),
        Some("\"http://www.marketo.com/mktows/renameLead\""),
        body,
    )
    .await;

    assert_eq!(response.status, 500);
    assert!(
        response.content_type.starts_with("text/xml"),
        "{}",
        response.content_type
    );
    assert_eq!(response.fault_number(), 20019);
    assert!(response.body.contains("<name>mktServiceException</name>"));
    assert!(response
        .body
        .contains("<faultcode>SOAP-ENV:Client</faultcode>"));
}

#[tokio::test]
async fn truncated_body_is_20012() {
    let sandbox = start().await;
    let body = signed_envelope("<ns1:paramsGetLead><leadKey><keyType>IDNUM</keyType>");
    let truncated = body[..body.find("</SOAP-ENV:Body>").unwrap()].to_owned();

    let response = raw_request("POST", sandbox.endpoint(), Some("getLead"), truncated).await;

    assert_eq!(response.status, 500);
    assert_eq!(response.fault_number(), 20012);
}

#[tokio::test]
async fn non_xml_body_is_20012() {
    let sandbox = start().await;

    let response = raw_request("POST", sandbox.endpoint(), None, "{\"leadKey\": 1}".into()).await;

    assert_eq!(response.status, 500);
    assert_eq!(response.fault_number(), 20012);
}

#[tokio::test]
async fn element_with_many_attributes_is_20012_at_once() {
    let sandbox = start().await;
    let attributes: String = (0..20_000)
        .map(|index| format!(" a{index}=\"x\""))
        .collect();
    let body = signed_envelope(&format!(
        "<ns1:paramsGetLead{attributes}><leadKey><keyType>IDNUM</keyType><keyValue>1001</keyValue></leadKey></ns1:paramsGetLead>"
    ));
    let started = std::time::Instant::now();

    let response = raw_request("POST", sandbox.endpoint(), Some("getLead"), body).await;

    assert_eq!(response.status, 500);
    assert_eq!(response.fault_number(), 20012);
    assert!(
        response.body.contains("attributes"),
        "the message says why: {}",
        response.body
    );
    // The reader stops at its attribute cap instead of comparing all 20,000 attributes
    // with each other. The bound is loose, so a loaded machine does not fail it.
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn missing_required_element_is_20017() {
    let sandbox = start().await;
    let body = signed_envelope(
        "<ns1:paramsGetLead><leadKey><keyType>IDNUM</keyType></leadKey></ns1:paramsGetLead>",
    );

    let response = raw_request("POST", sandbox.endpoint(), None, body).await;

    assert_eq!(response.status, 500);
    assert_eq!(response.fault_number(), 20017);
    assert!(
        response.body.contains("keyValue"),
        "the message names the missing element: {}",
        response.body
    );
}

#[tokio::test]
async fn mismatched_soap_action_is_20012() {
    let sandbox = start().await;
    let body = signed_envelope("<ns1:paramsListMObjects/>");

    let response = raw_request(
        "POST",
        sandbox.endpoint(),
        Some("\"http://www.marketo.com/mktows/getLead\""),
        body,
    )
    .await;

    assert_eq!(response.fault_number(), 20012);
}

#[tokio::test]
async fn trailing_slash_endpoint_works() {
    let sandbox = start().await;
    let body = signed_envelope("<ns1:paramsListMObjects/>");

    let response = raw_request(
        "POST",
        &format!("{}/", sandbox.endpoint()),
        Some("listMObjects"),
        body,
    )
    .await;

    assert_eq!(response.status, 200, "{}", response.body);
    assert!(response.content_type.starts_with("text/xml"));
    assert!(response.body.contains("successListMObjects"));
}

#[tokio::test]
async fn oversized_body_is_20012() {
    let sandbox = start_with(SandboxConfig {
        max_body_bytes: 1024,
        ..config()
    })
    .await;
    let padding = "<!-- padding -->".repeat(100);
    let body = signed_envelope(&format!("{padding}<ns1:paramsListMObjects/>"));

    let response = raw_request("POST", sandbox.endpoint(), None, body).await;

    assert_eq!(response.status, 500);
    assert_eq!(response.fault_number(), 20012);
    assert!(response.body.contains("1024 bytes"), "{}", response.body);
}

/// A `syncMultipleLeads` request whose encoded body is larger than `bytes`.
fn sync_multiple_leads_larger_than(bytes: usize) -> ParamsSyncMultipleLeads {
    let note = "n".repeat(100_000);
    let records = (0..bytes / note.len() + 1)
        .map(|n| LeadRecord {
            lead_attribute_list: Some(Nillable::Value(attributes(&[("Notes", &note)]))),
            ..new_lead(&format!("oversized{n}@quarrytech.example"), "Oversized")
        })
        .collect();
    ParamsSyncMultipleLeads {
        lead_record_list: ArrayOfLeadRecord {
            lead_record: records,
        },
        dedup_enabled: None,
    }
}

// Bodies this large are decoded on the blocking thread pool.
#[tokio::test]
async fn large_request_is_served() {
    let sandbox = start().await;
    let request = sync_multiple_leads_larger_than(300 * 1024);
    let records = request.lead_record_list.lead_record.len();

    let statuses = client(&sandbox)
        .sync_multiple_leads(request)
        .await
        .unwrap()
        .result
        .sync_status_list
        .sync_status;

    assert_eq!(statuses.len(), records);
}

#[tokio::test]
async fn oversized_client_call_gets_20012() {
    let sandbox = start_with(SandboxConfig {
        limits: None,
        ..config()
    })
    .await;
    let client = client(&sandbox);
    // About 9 MB against the default limit of 8 MiB: more than loopback socket buffers
    // take in, so the client is still sending when the server decides.
    let request = sync_multiple_leads_larger_than(9_000_000);

    for attempt in 1..=4 {
        let error = client
            .sync_multiple_leads(request.clone())
            .await
            .expect_err("the body is over the limit");

        assert_eq!(
            error.fault_code().map(|code| code.code()),
            Some(20012),
            "attempt {attempt}: {error}"
        );
    }
    let after = client.list_m_objects(list_m_objects()).await;
    assert!(after.is_ok(), "the sandbox still serves: {after:?}");
}

/// How a raw request declares its body.
#[derive(Debug, Clone, Copy)]
enum Framing {
    ContentLength,
    Chunked,
}

/// Sends a `POST` with a body of `total` spaces over a raw connection, all of it before
/// reading, as simple HTTP clients do. Returns the response as text, and fails the
/// test when the server stops reading before the body is sent.
async fn post_whole_body_then_read(
    sandbox: &RunningSandbox,
    total: usize,
    framing: Framing,
) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let mut stream = tokio::net::TcpStream::connect(sandbox.local_addr())
        .await
        .unwrap();
    let length_header = match framing {
        Framing::ContentLength => format!("Content-Length: {total}"),
        Framing::Chunked => "Transfer-Encoding: chunked".to_owned(),
    };
    let head = format!(
        "POST /soap/mktows/2_3 HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: text/xml\r\n{length_header}\r\n\r\n",
        sandbox.local_addr()
    );
    stream.write_all(head.as_bytes()).await.unwrap();

    let piece = vec![b' '; 64 * 1024];
    let mut sent = 0;
    while sent < total {
        let size = piece.len().min(total - sent);
        let written = async {
            if let Framing::Chunked = framing {
                stream.write_all(format!("{size:x}\r\n").as_bytes()).await?;
            }
            stream.write_all(&piece[..size]).await?;
            if let Framing::Chunked = framing {
                stream.write_all(b"\r\n").await?;
            }
            Ok::<(), std::io::Error>(())
        };
        written.await.unwrap_or_else(|error| {
            panic!("{framing:?}: the server stopped reading after {sent} of {total} bytes: {error}")
        });
        sent += size;
    }
    if let Framing::Chunked = framing {
        stream.write_all(b"0\r\n\r\n").await.unwrap();
    }

    let mut response = Vec::new();
    let read =
        tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut response)).await;
    assert!(
        read.is_ok(),
        "{framing:?}: no complete response within 10 s: {}",
        String::from_utf8_lossy(&response)
    );
    String::from_utf8_lossy(&response).into_owned()
}

#[tokio::test]
async fn oversized_raw_body_gets_20012() {
    let sandbox = start_with(SandboxConfig {
        max_body_bytes: 64 * 1024,
        ..config()
    })
    .await;

    for framing in [Framing::ContentLength, Framing::Chunked] {
        for attempt in 1..=3 {
            let response = post_whole_body_then_read(&sandbox, 12 * 1024 * 1024, framing).await;

            assert!(
                response.starts_with("HTTP/1.1 500"),
                "{framing:?}, attempt {attempt}: {response}"
            );
            assert!(
                response.contains("20012"),
                "{framing:?}, attempt {attempt}: {response}"
            );
        }
    }
}

/// Opens a connection and sends a request that declares a body of 100,000 bytes but
/// sends only 9 of them.
async fn send_stalled_request(sandbox: &RunningSandbox) -> tokio::net::TcpStream {
    use tokio::io::AsyncWriteExt;

    let mut stream = tokio::net::TcpStream::connect(sandbox.local_addr())
        .await
        .unwrap();
    let head = format!(
        "POST /soap/mktows/2_3 HTTP/1.1\r\nHost: {}\r\nContent-Type: text/xml\r\nContent-Length: 100000\r\n\r\n<?xml ver",
        sandbox.local_addr()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream
}

#[tokio::test]
async fn stalled_body_times_out() {
    use tokio::io::AsyncReadExt;
    let sandbox = start_with(SandboxConfig {
        body_read_timeout: Duration::from_millis(300),
        ..config()
    })
    .await;
    let mut stream = send_stalled_request(&sandbox).await;
    let started = std::time::Instant::now();

    let mut response = Vec::new();
    let read =
        tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut response)).await;
    let elapsed = started.elapsed();
    let response = String::from_utf8_lossy(&response);

    assert!(
        read.is_ok(),
        "the connection is still open after 5 s: {response}"
    );
    assert!(
        elapsed >= Duration::from_millis(250),
        "closed after {elapsed:?}, before the timeout"
    );
    assert!(response.starts_with("HTTP/1.1 500"), "{response}");
    assert!(response.contains("20012"), "{response}");
    assert!(
        response.contains("received 9 of 100000 bytes"),
        "{response}"
    );
}

#[tokio::test]
async fn stalled_head_closes_connection() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let sandbox = start_with(SandboxConfig {
        header_read_timeout: Duration::from_millis(300),
        ..config()
    })
    .await;
    let mut stream = tokio::net::TcpStream::connect(sandbox.local_addr())
        .await
        .unwrap();
    stream
        .write_all(b"POST /soap/mktows/2_3 HTTP/1.1\r\nHost: sandbox\r\nContent-Ty")
        .await
        .unwrap();
    let started = std::time::Instant::now();

    let mut response = Vec::new();
    let read =
        tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut response)).await;
    let elapsed = started.elapsed();

    assert!(read.is_ok(), "the connection is still open after 5 s");
    assert!(
        elapsed >= Duration::from_millis(250),
        "closed after {elapsed:?}, before the timeout"
    );
    // The sandbox still serves other clients.
    client(&sandbox)
        .list_m_objects(list_m_objects())
        .await
        .expect("a new connection is served");
}

#[tokio::test]
async fn shutdown_abandons_late_calls() {
    let sandbox = start_with(SandboxConfig {
        response_delay: Duration::from_secs(60),
        shutdown_grace: Duration::from_millis(200),
        ..config()
    })
    .await;
    let endpoint = sandbox.endpoint().to_owned();
    let call = tokio::spawn(async move {
        let body = signed_envelope("<ns1:paramsListMObjects/>");
        mktows::reqwest::Client::new()
            .post(endpoint)
            .header("SOAPAction", "listMObjects")
            .body(body)
            .send()
            .await
    });
    // Let the call reach the sandbox and start its delay.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = std::time::Instant::now();

    let stopped = tokio::time::timeout(Duration::from_secs(5), sandbox.shutdown()).await;

    assert!(
        stopped.is_ok(),
        "shutdown still waiting after 5 s for a call delayed by 60 s"
    );
    stopped.unwrap().expect("the shutdown succeeds");
    assert!(
        started.elapsed() >= Duration::from_millis(150),
        "shutdown returned before the grace period"
    );
    let response = tokio::time::timeout(Duration::from_secs(5), call)
        .await
        .expect("the abandoned call ends")
        .unwrap()
        .unwrap();
    assert_eq!(response.status().as_u16(), 500);
    let body = response.text().await.unwrap();
    assert_eq!(
        mktows::SoapFault::parse(body.as_bytes())
            .unwrap()
            .code
            .code(),
        20011,
        "{body}"
    );
    assert!(
        body.contains("the sandbox stopped before this call finished"),
        "{body}"
    );
}

// ---------------------------------------------------------------------------------------
// WSDL and other routes
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn wsdl_has_sandbox_address() {
    let sandbox = start().await;

    for query in ["WSDL", "wsdl"] {
        let response = raw_request(
            "GET",
            &format!("{}?{query}", sandbox.endpoint()),
            None,
            String::new(),
        )
        .await;

        assert_eq!(response.status, 200, "?{query}");
        assert!(
            response.content_type.starts_with("text/xml"),
            "?{query}: {}",
            response.content_type
        );
        let address = format!("<soap:address location=\"{}\"/>", sandbox.endpoint());
        assert!(
            response.body.contains(&address),
            "?{query}: the WSDL lacks {address}"
        );
        assert!(
            response.body.contains("name=\"getChannels\""),
            "?{query}: not the whole WSDL"
        );
    }
}

#[tokio::test]
async fn unknown_path_is_plain_404() {
    let sandbox = start().await;
    let url = sandbox
        .endpoint()
        .replace("/soap/mktows/2_3", "/index.html");

    let response = raw_request("GET", &url, None, String::new()).await;

    assert_eq!(response.status, 404);
    assert!(
        response.content_type.starts_with("text/plain"),
        "{}",
        response.content_type
    );
    assert!(!response.body.contains("<html"), "{}", response.body);
}

#[tokio::test]
async fn put_on_endpoint_is_plain_405() {
    let sandbox = start().await;

    let response = raw_request("PUT", sandbox.endpoint(), None, String::new()).await;

    assert_eq!(response.status, 405);
    assert!(
        response.content_type.starts_with("text/plain"),
        "{}",
        response.content_type
    );
}

#[tokio::test]
async fn remote_address_is_rejected() {
    let config = SandboxConfig {
        listen: "0.0.0.0:0".parse().unwrap(),
        ..config()
    };

    let error = Sandbox::start(config).await.unwrap_err();

    assert!(
        matches!(error, ServerError::RemoteNotAllowed { .. }),
        "{error}"
    );
}

#[tokio::test]
async fn zero_timestamp_window_is_rejected() {
    for window in [Duration::ZERO, Duration::from_millis(500)] {
        let error = Sandbox::start(SandboxConfig {
            timestamp_window: window,
            ..config()
        })
        .await
        .unwrap_err();

        assert!(
            matches!(
                error,
                ServerError::InvalidConfig {
                    setting: "timestamp_window",
                    ..
                }
            ),
            "{window:?}: {error}"
        );
    }
}

#[tokio::test]
async fn zero_limits_are_rejected() {
    type Change = fn(&mut LimitsConfig);
    let cases: [(&str, Change); 6] = [
        ("limits.rate_window", |limits| {
            limits.rate_window = chrono::Duration::zero()
        }),
        ("limits.rate_window", |limits| {
            limits.rate_window = chrono::Duration::seconds(-5)
        }),
        ("limits.max_calls_per_window", |limits| {
            limits.max_calls_per_window = 0
        }),
        ("limits.max_concurrent_calls", |limits| {
            limits.max_concurrent_calls = 0
        }),
        ("limits.daily_quota", |limits| limits.daily_quota = 0),
        ("limits.max_batch_size", |limits| limits.max_batch_size = 0),
    ];

    for (expected, change) in cases {
        let error = Sandbox::start(SandboxConfig {
            limits: limits(change),
            ..config()
        })
        .await
        .unwrap_err();

        match error {
            ServerError::InvalidConfig { setting, reason } => {
                assert_eq!(setting, expected, "{reason}");
                assert!(
                    reason.contains("use at least"),
                    "the message says what to use: {reason}"
                );
            }
            other => panic!("{expected}: expected InvalidConfig, got {other}"),
        }
    }
}

#[tokio::test]
async fn generated_credentials_work() {
    let sandbox = start_with(SandboxConfig::default()).await;

    let result = client(&sandbox).list_m_objects(list_m_objects()).await;

    assert!(sandbox.secret_key_generated());
    assert!(
        sandbox.user_id().starts_with("sandbox1_"),
        "{}",
        sandbox.user_id()
    );
    assert!(result.is_ok(), "{result:?}");
}

// ---------------------------------------------------------------------------------------
// Limits
// ---------------------------------------------------------------------------------------

fn limits(change: impl FnOnce(&mut LimitsConfig)) -> Option<LimitsConfig> {
    let mut limits = LimitsConfig::default();
    change(&mut limits);
    Some(limits)
}

#[tokio::test]
async fn rate_limit_trips_after_window_calls() {
    let clock = ManualClock::new(Utc::now());
    let sandbox = start_with(SandboxConfig {
        limits: limits(|limits| limits.max_calls_per_window = 3),
        clock: Some(clock.shared()),
        ..config()
    })
    .await;
    let client = client(&sandbox);

    for call in 1..=3 {
        assert!(
            client.list_m_objects(list_m_objects()).await.is_ok(),
            "call {call} is within the limit"
        );
    }
    let error = client.list_m_objects(list_m_objects()).await.unwrap_err();
    clock.advance(chrono::Duration::seconds(20));
    let after_window = client.list_m_objects(list_m_objects()).await;

    assert_eq!(fault_number(&error), 20023);
    assert!(
        after_window.is_ok(),
        "the window has passed: {after_window:?}"
    );
}

#[tokio::test]
async fn daily_quota_trips_after_quota() {
    let sandbox = start_with(SandboxConfig {
        limits: limits(|limits| limits.daily_quota = 2),
        ..config()
    })
    .await;
    let client = client(&sandbox);

    client.list_m_objects(list_m_objects()).await.unwrap();
    client.list_m_objects(list_m_objects()).await.unwrap();
    let error = client.list_m_objects(list_m_objects()).await.unwrap_err();

    assert_eq!(fault_number(&error), 20015);
    assert_eq!(sandbox.limits_usage().unwrap().calls_today, 2);
}

#[tokio::test]
async fn concurrency_limit_trips_on_extra_call() {
    let sandbox = start_with(SandboxConfig {
        limits: limits(|limits| limits.max_concurrent_calls = 2),
        response_delay: Duration::from_millis(400),
        ..config()
    })
    .await;
    let client = client(&sandbox);

    let (first, second, third) = tokio::join!(
        client.list_m_objects(list_m_objects()),
        client.list_m_objects(list_m_objects()),
        client.list_m_objects(list_m_objects()),
    );

    let results = [first, second, third];
    let rejected: Vec<u32> = results
        .iter()
        .filter_map(|result| result.as_ref().err())
        .map(fault_number)
        .collect();
    assert_eq!(
        rejected,
        vec![20024],
        "exactly one of three concurrent calls is rejected"
    );
    assert_eq!(sandbox.limits_usage().unwrap().concurrent_calls, 0);
}

#[tokio::test]
async fn rejected_authentication_is_not_counted() {
    let sandbox = start_with(SandboxConfig {
        limits: limits(|limits| limits.daily_quota = 1),
        ..config()
    })
    .await;
    let intruder = mktows::Client::builder(sandbox.endpoint(), USER_ID, "not-the-key")
        .build()
        .unwrap();

    let rejected = intruder.list_m_objects(list_m_objects()).await.unwrap_err();
    let accepted = client(&sandbox).list_m_objects(list_m_objects()).await;

    assert_eq!(fault_number(&rejected), 20014);
    assert!(
        accepted.is_ok(),
        "the failed call must not use up the quota: {accepted:?}"
    );
}

/// Returns a `syncMultipleLeads` request for `count` new leads, with emails
/// `<prefix><n>@quarrytech.example`.
fn new_leads_request(prefix: &str, count: usize) -> ParamsSyncMultipleLeads {
    let records = (1..=count)
        .map(|n| new_lead(&format!("{prefix}{n}@quarrytech.example"), "Batch"))
        .collect();
    ParamsSyncMultipleLeads {
        lead_record_list: ArrayOfLeadRecord {
            lead_record: records,
        },
        dedup_enabled: None,
    }
}

#[tokio::test]
async fn batch_over_maximum_is_20110() {
    let sandbox = start_with(SandboxConfig {
        limits: limits(|limits| limits.max_batch_size = 2),
        ..config()
    })
    .await;
    let error = client(&sandbox)
        .sync_multiple_leads(new_leads_request("batch", 3))
        .await
        .unwrap_err();

    assert_eq!(fault_number(&error), 20110);
    assert!(
        error
            .fault()
            .unwrap()
            .message
            .contains("leadRecordList has 3 records"),
        "{error}"
    );
}

#[tokio::test]
async fn no_limits_accepts_large_batch() {
    let sandbox = start_with(SandboxConfig {
        limits: None,
        ..config()
    })
    .await;
    let statuses = client(&sandbox)
        .sync_multiple_leads(new_leads_request("bulk", 301))
        .await
        .unwrap()
        .result
        .sync_status_list
        .sync_status;

    assert_eq!(statuses.len(), 301);
    assert!(sandbox.limits_usage().is_none());
}

// ---------------------------------------------------------------------------------------
// Data file
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn data_file_survives_restart() {
    let scratch = ScratchDir::new("data-file");
    let data_file = scratch.path().join("store.json");
    let with_file = || SandboxConfig {
        data_file: Some(data_file.clone()),
        ..config()
    };

    let first = start_with(with_file()).await;
    assert!(data_file.exists(), "the seed data is written at start");
    client(&first)
        .sync_lead(
            sync_lead_request(new_lead("persist.me@quarrytech.example", "Persist")),
            None,
        )
        .await
        .unwrap();
    let saved_after_call = std::fs::read_to_string(&data_file).unwrap();
    first.shutdown().await.unwrap();

    let second = start_with(with_file()).await;
    let found = client(&second)
        .get_lead(get_lead_request(
            LeadKeyRef::Email,
            "persist.me@quarrytech.example",
        ))
        .await;

    assert!(
        saved_after_call.contains("persist.me@quarrytech.example"),
        "the write call saves the file"
    );
    assert_eq!(found.unwrap().result.count, 1);
    second.shutdown().await.unwrap();
}

#[tokio::test]
async fn data_file_in_use_fails_start() {
    let scratch = ScratchDir::new("data-file-in-use");
    let data_file = scratch.path().join("store.json");
    let with_file = || SandboxConfig {
        data_file: Some(data_file.clone()),
        ..config()
    };
    let first = start_with(with_file()).await;

    let error = Sandbox::start(with_file())
        .await
        .expect_err("a second sandbox on the same data file must not start");
    let message = error.to_string();
    first.shutdown().await.unwrap();
    let after_shutdown = Sandbox::start(with_file()).await;

    assert!(
        message.contains(&data_file.display().to_string()),
        "the message names the file: {message}"
    );
    assert!(message.contains("another sandbox"), "{message}");
    assert!(
        after_shutdown.is_ok(),
        "shutdown releases the data file: {:?}",
        after_shutdown.err()
    );
}

#[tokio::test]
async fn dropped_sandbox_releases_data_file() {
    let scratch = ScratchDir::new("data-file-drop");
    let data_file = scratch.path().join("store.json");
    let with_file = || SandboxConfig {
        data_file: Some(data_file.clone()),
        ..config()
    };

    drop(start_with(with_file()).await);
    let restarted = Sandbox::start(with_file()).await;

    assert!(
        restarted.is_ok(),
        "dropping a sandbox releases its data file: {:?}",
        restarted.err()
    );
}

#[tokio::test]
async fn lock_survives_saves() {
    let scratch = ScratchDir::new("data-file-lock-saves");
    let data_file = scratch.path().join("store.json");
    let with_file = || SandboxConfig {
        data_file: Some(data_file.clone()),
        ..config()
    };
    let first = start_with(with_file()).await;

    // Each save renames a new file over the data file; the lock must still hold after it.
    client(&first)
        .sync_lead(
            sync_lead_request(new_lead("locked.save@quarrytech.example", "Locked")),
            None,
        )
        .await
        .unwrap();
    first.save().unwrap();
    let second = Sandbox::start(with_file()).await;

    assert!(second.is_err(), "the data file is still locked after saves");
}

fn data_file_config(path: &Path) -> SandboxConfig {
    SandboxConfig {
        data_file: Some(path.to_path_buf()),
        ..config()
    }
}

/// Creates the symbolic link `store-link.json` to `target_name` in `scratch`, and returns
/// the target's path and the link's path.
#[cfg(unix)]
fn symlink_in(scratch: &ScratchDir, target_name: &str) -> (PathBuf, PathBuf) {
    let target = scratch.path().join(target_name);
    let link = scratch.path().join("store-link.json");
    std::os::unix::fs::symlink(&target, &link).expect("the link is created");
    (target, link)
}

#[cfg(unix)]
#[tokio::test]
async fn symlink_to_locked_data_file_fails_start() {
    let scratch = ScratchDir::new("data-file-symlink-locked");
    let (data_file, link) = symlink_in(&scratch, "store.json");
    let first = start_with(data_file_config(&data_file)).await;

    let error = Sandbox::start(data_file_config(&link))
        .await
        .expect_err("a sandbox on a link to a locked data file must not start");
    let message = error.to_string();
    first.shutdown().await.unwrap();

    let real_file = std::fs::canonicalize(&data_file).unwrap();
    match error {
        ServerError::DataFileInUse {
            data_file: reported,
            resolved_file,
            ..
        } => {
            assert_eq!(reported, link, "the error keeps the configured path");
            assert_eq!(resolved_file, real_file);
        }
        other => panic!("expected DataFileInUse, got: {other}"),
    }
    assert!(
        message.contains(&link.display().to_string()),
        "the message names the link: {message}"
    );
    assert!(
        message.contains(&real_file.display().to_string()),
        "the message names the real file: {message}"
    );
}

#[cfg(unix)]
#[tokio::test]
async fn symlinked_data_file_saves_through_link() {
    let scratch = ScratchDir::new("data-file-symlink-save");
    let (data_file, link) = symlink_in(&scratch, "store.json");
    // A link must point to an existing file, so a first run creates it.
    start_with(data_file_config(&data_file))
        .await
        .shutdown()
        .await
        .unwrap();
    let sandbox = start_with(data_file_config(&link)).await;
    let resolved = sandbox.resolved_data_file().map(Path::to_path_buf);

    client(&sandbox)
        .sync_lead(
            sync_lead_request(new_lead("through.link@quarrytech.example", "Linked")),
            None,
        )
        .await
        .unwrap();
    sandbox.shutdown().await.unwrap();

    let link_type = std::fs::symlink_metadata(&link).unwrap().file_type();
    assert!(link_type.is_symlink(), "saves leave the link in place");
    assert_eq!(std::fs::read_link(&link).unwrap(), data_file);
    assert_eq!(resolved, Some(std::fs::canonicalize(&data_file).unwrap()));
    let saved = std::fs::read_to_string(&data_file).unwrap();
    assert!(
        saved.contains("through.link@quarrytech.example"),
        "the linked file holds the change"
    );
    assert!(
        !scratch.path().join("store-link.json.lock").exists(),
        "the lock is next to the real file, not the link"
    );
}

#[cfg(unix)]
#[tokio::test]
async fn dangling_symlink_data_file_fails_start() {
    let scratch = ScratchDir::new("data-file-dangling");
    let (missing, link) = symlink_in(&scratch, "missing.json");

    let error = Sandbox::start(data_file_config(&link))
        .await
        .expect_err("a sandbox on a dangling link must not start");

    assert!(matches!(error, ServerError::DataFilePath { .. }), "{error}");
    let message = error.to_string();
    assert!(message.contains("symbolic link"), "{message}");
    assert!(
        message.contains(&missing.display().to_string()),
        "the message names the link target: {message}"
    );
    assert!(!missing.exists(), "nothing is created at the link target");
}

#[tokio::test]
async fn broken_data_file_fails_start() {
    let scratch = ScratchDir::new("broken-data-file");
    let data_file = scratch.path().join("store.json");
    std::fs::write(&data_file, "{ not json").unwrap();

    let error = Sandbox::start(SandboxConfig {
        data_file: Some(data_file),
        ..config()
    })
    .await
    .unwrap_err();

    assert!(matches!(error, ServerError::DataFile(_)), "{error}");
}

// ---------------------------------------------------------------------------------------
// Logging
// ---------------------------------------------------------------------------------------

/// A log writer that appends to a buffer the test reads afterwards.
#[derive(Clone, Default)]
struct LogBuffer(Arc<std::sync::Mutex<Vec<u8>>>);

impl LogBuffer {
    fn text(&self) -> String {
        let bytes = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl std::io::Write for LogBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let mut buffer = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        buffer.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

// The subscriber is the default of this thread only, and `#[tokio::test]` runs the
// sandbox's tasks on this thread, so the buffer gets this test's logs and no others.
#[tokio::test]
async fn trace_log_redacts_secrets() {
    let logs = LogBuffer::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _default = tracing::subscriber::set_default(subscriber);
    let sandbox = start().await;
    let (header, signature) = signed_authentication_header(USER_ID, SECRET_KEY);
    let body = envelope(&header, "<ns1:paramsListMObjects/>");

    let response = raw_request("POST", sandbox.endpoint(), Some("listMObjects"), body).await;
    sandbox.shutdown().await.unwrap();
    let text = logs.text();

    assert_eq!(response.status, 200, "{}", response.body);
    assert!(
        text.contains(r#"operation="listMObjects""#),
        "the debug line names the operation: {text}"
    );
    assert!(
        text.contains(r#"soap_action="listMObjects""#),
        "the debug line names the SOAPAction: {text}"
    );
    assert!(
        text.contains(&format!(r#"user_id="{USER_ID}""#)),
        "the debug line names the user id: {text}"
    );
    assert!(
        text.contains("body_bytes="),
        "the debug line has the body size: {text}"
    );
    assert!(
        text.contains("<ns1:paramsListMObjects/>"),
        "the trace has the request envelope: {text}"
    );
    assert!(
        text.contains("<requestSignature><redacted></requestSignature>"),
        "the trace shows where the signature was: {text}"
    );
    assert!(
        text.contains(&format!("{:?}", response.body)),
        "the trace has the response envelope, escaped: {text}"
    );
    assert!(
        !text.contains(&signature),
        "the trace must not contain the signature: {text}"
    );
    assert!(
        !text.contains(SECRET_KEY),
        "the trace must not contain the secret key: {text}"
    );
}

// ---------------------------------------------------------------------------------------
// Protocol fixtures
// ---------------------------------------------------------------------------------------

/// Codes raised before an operation runs; a fixture must never get one of them.
const ENVELOPE_FAULTS: [u32; 8] = [20012, 20014, 20015, 20016, 20017, 20019, 20023, 20024];

/// Operations whose fixture parameters fit the seed data, so they must succeed.
const FIXTURES_FITTING_SEED: [&str; 5] = [
    "listMObjects",
    "describeMObject",
    "getCampaignsForSource",
    "getChannels",
    "getTags",
];

/// Re-signs a fixture's `request.xml` for this sandbox.
fn resign_fixture(xml: &str) -> String {
    let start = xml
        .find("AuthenticationHeader")
        .expect("the fixture has an AuthenticationHeader");
    let end = xml
        .rfind("AuthenticationHeader>")
        .expect("the header is closed");
    let header = &xml[start..end];
    let timestamp = mktows::auth::format_timestamp(Utc::now().fixed_offset());
    let signature =
        mktows::auth::sign(&mktows::EncryptionKey::new(SECRET_KEY), &timestamp, USER_ID);
    let resigned = header
        .replace("fixture_user_0001", USER_ID)
        .replace("2026-03-02T10:15:30+01:00", &timestamp)
        .replace("21908110f1323fa01b99c1cdf09e245809f52c35", &signature);
    format!("{}{}{}", &xml[..start], resigned, &xml[end..])
}

#[tokio::test]
async fn fixture_requests_pass_envelope_checks() {
    let sandbox = start_with(SandboxConfig {
        limits: None,
        ..config()
    })
    .await;
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/operations");

    for operation in Operation::ALL {
        let xml =
            std::fs::read_to_string(fixtures.join(operation.name()).join("request.xml")).unwrap();

        let response = raw_request(
            "POST",
            sandbox.endpoint(),
            Some(operation.soap_action()),
            resign_fixture(&xml),
        )
        .await;

        if response.status == 200 {
            assert!(
                response.body.contains(operation.output_element()),
                "{operation}: {}",
                response.body
            );
            continue;
        }
        let code = response.fault_number();
        assert!(
            !ENVELOPE_FAULTS.contains(&code),
            "{operation}: the fixture request failed before the operation ran with {code}: {}",
            response.body
        );
        assert!(
            !FIXTURES_FITTING_SEED.contains(&operation.name()),
            "{operation}: its fixture fits the seed but failed with {code}: {}",
            response.body
        );
    }
}

#[tokio::test]
async fn quoted_line_break_cannot_forge_a_log_line() {
    let logs = LogBuffer::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _default = tracing::subscriber::set_default(subscriber);
    let sandbox = start().await;
    let forged = "2026-01-01T00:00:00Z  INFO forged line";

    let error = client(&sandbox)
        .get_lead(get_lead_request(
            LeadKeyRef::Email,
            &format!("nobody@example.net\n{forged}"),
        ))
        .await
        .unwrap_err();
    sandbox.shutdown().await.unwrap();
    let text = logs.text();

    assert_eq!(fault_number(&error), 20103);
    assert!(text.contains("call failed"), "{text}");
    assert!(
        !text.lines().any(|line| line.starts_with(forged)),
        "a quoted value started a log line of its own: {text}"
    );
}
