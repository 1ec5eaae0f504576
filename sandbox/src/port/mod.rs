//! The port glue: [`SandboxPort`] implements the generated [`MktowsPort`] trait on top of
//! the in-memory [`Store`].
//!
//! Each method converts the generated request type into the store's domain call, runs
//! it under the store's lock and converts the result back. A [`SandboxError`] becomes
//! [`mktows::Error::Fault`] carrying the SOAP fault Marketo would have sent
//! ([`soap_fault`]). The HTTP server in [`crate::server`] dispatches decoded requests to
//! this port, and tests can call it directly, without HTTP.

mod activity;
mod campaigns;
mod convert;
mod leads;
mod lists;
mod objects;
mod tags;

use std::sync::{Arc, Mutex, MutexGuard};

use mktows::types::*;
use mktows::{MktowsPort, SoapFault};

use crate::error::{SandboxError, SandboxResult};
use crate::limits::Limits;
use crate::store::Store;

/// Builds the SOAP fault Marketo sent for `error`: `faultcode` `SOAP-ENV:Client`
/// (`SOAP-ENV:Server` for 10001 and 20011), `faultstring` `"<code> - <short message>"`
/// with Marketo's spelling of the short message, and a `serviceException` detail whose
/// message ends with the code in parentheses.
pub fn soap_fault(error: &SandboxError) -> SoapFault {
    SoapFault::marketo(error.code, error.message.clone())
}

/// Converts a store error into the error a [`MktowsPort`] method returns.
pub fn port_error(error: SandboxError) -> mktows::Error {
    mktows::Error::Fault(Box::new(soap_fault(&error)))
}

/// The mktows port of one sandbox instance. Clones share the same store.
#[derive(Debug, Clone)]
pub struct SandboxPort {
    store: Arc<Mutex<Store>>,
    limits: Option<Limits>,
}

impl SandboxPort {
    /// Creates a port over `store`, without limits.
    pub fn new(store: Store) -> Self {
        SandboxPort::from_shared(Arc::new(Mutex::new(store)), None)
    }

    /// Creates a port over a store shared with other owners. With `limits`, batches larger
    /// than [`LimitsConfig::max_batch_size`](crate::limits::LimitsConfig::max_batch_size)
    /// are refused with fault 20110; the call limits are the HTTP layer's job.
    pub fn from_shared(store: Arc<Mutex<Store>>, limits: Option<Limits>) -> Self {
        SandboxPort { store, limits }
    }

    /// Returns the shared store.
    pub fn shared_store(&self) -> &Arc<Mutex<Store>> {
        &self.store
    }

    /// Runs `action` on the store under its lock, for tests that inspect or change the
    /// data between calls.
    pub fn with_store<R>(&self, action: impl FnOnce(&mut Store) -> R) -> R {
        action(&mut self.lock())
    }

    fn lock(&self) -> MutexGuard<'_, Store> {
        // A panic inside an operation leaves the store as it was at that moment; serving
        // later calls from it is more useful to a test than failing every call after.
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn run<T>(
        &self,
        operation: impl FnOnce(&mut Store) -> SandboxResult<T>,
    ) -> Result<T, mktows::Error> {
        operation(&mut self.lock()).map_err(port_error)
    }
}

impl MktowsPort for SandboxPort {
    async fn get_lead(&self, request: ParamsGetLead) -> Result<SuccessGetLead, mktows::Error> {
        self.run(|store| leads::get_lead(store, request))
    }

    async fn get_multiple_leads(
        &self,
        request: ParamsGetMultipleLeads,
    ) -> Result<SuccessGetMultipleLeads, mktows::Error> {
        self.run(|store| leads::get_multiple_leads(store, request))
    }

    async fn sync_lead(
        &self,
        request: ParamsSyncLead,
        mktows_context: Option<MktowsContextHeaderInfo>,
    ) -> Result<SuccessSyncLead, mktows::Error> {
        self.run(|store| leads::sync_lead(store, request, mktows_context))
    }

    async fn sync_multiple_leads(
        &self,
        request: ParamsSyncMultipleLeads,
    ) -> Result<SuccessSyncMultipleLeads, mktows::Error> {
        self.run(|store| leads::sync_multiple_leads(store, self.limits.as_ref(), request))
    }

    async fn merge_leads(
        &self,
        request: ParamsMergeLeads,
    ) -> Result<SuccessMergeLeads, mktows::Error> {
        self.run(|store| leads::merge_leads(store, request))
    }

    async fn get_lead_activity(
        &self,
        request: ParamsGetLeadActivity,
    ) -> Result<SuccessGetLeadActivity, mktows::Error> {
        self.run(|store| activity::get_lead_activity(store, request))
    }

    async fn get_lead_changes(
        &self,
        request: ParamsGetLeadChanges,
    ) -> Result<SuccessGetLeadChanges, mktows::Error> {
        self.run(|store| activity::get_lead_changes(store, request))
    }

    async fn list_operation(
        &self,
        request: ParamsListOperation,
    ) -> Result<SuccessListOperation, mktows::Error> {
        self.run(|store| lists::list_operation(store, request))
    }

    async fn import_to_list(
        &self,
        request: ParamsImportToList,
    ) -> Result<SuccessImportToList, mktows::Error> {
        self.run(|store| lists::import_to_list(store, request))
    }

    async fn get_import_to_list_status(
        &self,
        request: ParamsGetImportToListStatus,
    ) -> Result<SuccessGetImportToListStatus, mktows::Error> {
        self.run(|store| lists::get_import_to_list_status(store, request))
    }

    async fn get_campaigns_for_source(
        &self,
        request: ParamsGetCampaignsForSource,
    ) -> Result<SuccessGetCampaignsForSource, mktows::Error> {
        self.run(|store| campaigns::get_campaigns_for_source(store, request))
    }

    async fn request_campaign(
        &self,
        request: ParamsRequestCampaign,
    ) -> Result<SuccessRequestCampaign, mktows::Error> {
        self.run(|store| campaigns::request_campaign(store, request))
    }

    async fn schedule_campaign(
        &self,
        request: ParamsScheduleCampaign,
    ) -> Result<SuccessScheduleCampaign, mktows::Error> {
        self.run(|store| campaigns::schedule_campaign(store, request))
    }

    async fn get_custom_objects(
        &self,
        request: ParamsGetCustomObjects,
    ) -> Result<SuccessGetCustomObjects, mktows::Error> {
        self.run(|store| objects::get_custom_objects(store, request))
    }

    async fn sync_custom_objects(
        &self,
        request: ParamsSyncCustomObjects,
    ) -> Result<SuccessSyncCustomObjects, mktows::Error> {
        self.run(|store| objects::sync_custom_objects(store, request))
    }

    async fn delete_custom_objects(
        &self,
        request: ParamsDeleteCustomObjects,
    ) -> Result<SuccessDeleteCustomObjects, mktows::Error> {
        self.run(|store| objects::delete_custom_objects(store, request))
    }

    async fn list_m_objects(
        &self,
        request: ParamsListMObjects,
    ) -> Result<SuccessListMObjects, mktows::Error> {
        self.run(|store| objects::list_m_objects(store, request))
    }

    async fn describe_m_object(
        &self,
        request: ParamsDescribeMObject,
    ) -> Result<SuccessDescribeMObject, mktows::Error> {
        self.run(|store| objects::describe_m_object(store, request))
    }

    async fn get_m_objects(
        &self,
        request: ParamsGetMObjects,
    ) -> Result<SuccessGetMObjects, mktows::Error> {
        self.run(|store| objects::get_m_objects(store, request))
    }

    async fn sync_m_objects(
        &self,
        request: ParamsSyncMObjects,
    ) -> Result<SuccessSyncMObjects, mktows::Error> {
        self.run(|store| objects::sync_m_objects(store, request))
    }

    async fn delete_m_objects(
        &self,
        request: ParamsDeleteMObjects,
    ) -> Result<SuccessDeleteMObjects, mktows::Error> {
        self.run(|store| objects::delete_m_objects(store, request))
    }

    async fn get_tags(&self, request: ParamsGetTags) -> Result<SuccessGetTags, mktows::Error> {
        self.run(|store| tags::get_tags(store, request))
    }

    async fn get_channels(
        &self,
        request: ParamsGetChannels,
    ) -> Result<SuccessGetChannels, mktows::Error> {
        self.run(|store| tags::get_channels(store, request))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::FaultCode;

    /// The `faultcode` and `faultstring` the sandbox sends for each code, as in Marketo's
    /// error table.
    const WIRE_FAULTS: [(u32, &str, &str); 27] = [
        (10001, "SOAP-ENV:Server", "10001 - Internal Error"),
        (20011, "SOAP-ENV:Server", "20011 - Internal Error"),
        (20012, "SOAP-ENV:Client", "20012 - Request Not Understood"),
        (20013, "SOAP-ENV:Client", "20013 - Access Denied"),
        (20014, "SOAP-ENV:Client", "20014 - Authentication failed"),
        (20015, "SOAP-ENV:Client", "20015 - Request Limit Exceeded"),
        (20016, "SOAP-ENV:Client", "20016 - Request Expired"),
        (20017, "SOAP-ENV:Client", "20017 - Invalid Request"),
        (20019, "SOAP-ENV:Client", "20019 - Unsupported Operation"),
        (
            20022,
            "SOAP-ENV:Client",
            "20022 - Time range specified in query filter exceeded limit",
        ),
        (20023, "SOAP-ENV:Client", "20023 - Rate Limit Exceeded"),
        (
            20024,
            "SOAP-ENV:Client",
            "20024 - Concurrency Limit Exceeded",
        ),
        (20101, "SOAP-ENV:Client", "20101 - Lead Key Required"),
        (20102, "SOAP-ENV:Client", "20102 - Lead Key Bad"),
        (20103, "SOAP-ENV:Client", "20103 - Lead Not Found"),
        (20104, "SOAP-ENV:Client", "20104 - Lead Detail Required"),
        (20105, "SOAP-ENV:Client", "20105 - Lead Attribute Bad"),
        (20106, "SOAP-ENV:Client", "20106 - Lead Sync Failed"),
        (20107, "SOAP-ENV:Client", "20107 - Activity Key Bad"),
        (20108, "SOAP-ENV:Client", "20108 - Lead Owner Not Found"),
        (20109, "SOAP-ENV:Client", "20109 - Parameter Required"),
        (20110, "SOAP-ENV:Client", "20110 - Bad Parameter"),
        (20111, "SOAP-ENV:Client", "20111 - List Not Found"),
        (20113, "SOAP-ENV:Client", "20113 - Campaign Not Found"),
        (20114, "SOAP-ENV:Client", "20114 - Bad Parameter"),
        (20122, "SOAP-ENV:Client", "20122 - Bad Stream Position"),
        (20123, "SOAP-ENV:Client", "20123 - Stream at End"),
    ];

    #[test]
    fn soap_fault_matches_marketo_table() {
        let known: Vec<u32> = FaultCode::KNOWN.iter().map(FaultCode::code).collect();
        let table: Vec<u32> = WIRE_FAULTS.iter().map(|(number, _, _)| *number).collect();
        assert_eq!(known, table);

        for (number, fault_code, fault_string) in WIRE_FAULTS {
            let error = SandboxError::new(FaultCode::from_code(number), "no lead has id 7");

            let fault = soap_fault(&error);

            assert_eq!(fault.fault_code, fault_code, "{number}");
            assert_eq!(fault.fault_string, fault_string, "{number}");
            assert_eq!(fault.fault_string, error.fault_string(), "{number}");
            assert_eq!(fault.code.code(), number);
            assert_eq!(fault.message, format!("no lead has id 7 ({number})"));
        }
    }
}
