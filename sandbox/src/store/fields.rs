//! The lead field catalogue: Marketo field types, typed values, and each field's API name
//! and display name.
//!
//! API names (`FirstName`) are what `syncLead` and `getLead` use in `attrName`. Display
//! names (`First Name`) are what `importToList` expects in its CSV header and what
//! "Change Data Value" activities show.

use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

/// A Marketo lead field type, spelled as Marketo spelled it in `attrType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    /// Short text, up to 255 characters.
    String,
    /// Long text.
    Text,
    /// An email address.
    Email,
    /// A phone number.
    Phone,
    /// A web address.
    Url,
    /// A whole number.
    Integer,
    /// A score, a whole number Marketo changes with "Change Score".
    Score,
    /// A decimal number.
    Float,
    /// An amount of money.
    Currency,
    /// True or false.
    Boolean,
    /// A calendar date.
    Date,
    /// A date and time.
    Datetime,
}

impl FieldType {
    /// Returns the name Marketo used in `attrType` and `dataType`.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Text => "text",
            FieldType::Email => "email",
            FieldType::Phone => "phone",
            FieldType::Url => "url",
            FieldType::Integer => "integer",
            FieldType::Score => "score",
            FieldType::Float => "float",
            FieldType::Currency => "currency",
            FieldType::Boolean => "boolean",
            FieldType::Date => "date",
            FieldType::Datetime => "datetime",
        }
    }

    /// Returns true for the text-like types, whose empty values Marketo left out of
    /// lead records.
    pub fn is_text(self) -> bool {
        matches!(
            self,
            FieldType::String
                | FieldType::Text
                | FieldType::Email
                | FieldType::Phone
                | FieldType::Url
        )
    }

    /// Parses a value sent as text into a typed value. An empty or blank string returns
    /// `Ok(None)`, which clears the field. The error names the expected form.
    pub fn parse_value(self, text: &str) -> Result<Option<FieldValue>, String> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Ok(None);
        }
        let value = match self {
            FieldType::Email => {
                check_email(trimmed)?;
                FieldValue::String(text.to_string())
            }
            FieldType::String | FieldType::Text | FieldType::Phone | FieldType::Url => {
                FieldValue::String(text.to_string())
            }
            FieldType::Integer | FieldType::Score => FieldValue::Integer(
                trimmed
                    .parse()
                    .map_err(|_| format!("'{text}' is not a whole number"))?,
            ),
            FieldType::Float | FieldType::Currency => {
                let number: f64 = trimmed
                    .parse()
                    .map_err(|_| format!("'{text}' is not a number"))?;
                if !number.is_finite() {
                    return Err(format!("'{text}' is not a finite number"));
                }
                FieldValue::Float(number)
            }
            FieldType::Boolean => FieldValue::Boolean(
                parse_boolean(trimmed)
                    .ok_or_else(|| format!("'{text}' is not a boolean; use true, false, 1 or 0"))?,
            ),
            FieldType::Date => FieldValue::Date(
                NaiveDate::parse_from_str(trimmed, "%Y-%m-%d")
                    .map_err(|_| format!("'{text}' is not a date of the form YYYY-MM-DD"))?,
            ),
            FieldType::Datetime => {
                FieldValue::Datetime(parse_datetime(trimmed).ok_or_else(|| {
                    format!(
                        "'{text}' is not a date-time; use the W3C form 2024-05-01T09:30:00+00:00"
                    )
                })?)
            }
        };
        Ok(Some(value))
    }
}

/// Checks the shape of an email address: one `@` with text on both sides and no
/// whitespace. Marketo rejected leads and import rows whose email was not an address;
/// the sandbox checks only this much of the syntax.
pub(crate) fn check_email(email: &str) -> Result<(), String> {
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !email.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if valid {
        Ok(())
    } else {
        Err(format!(
            "'{email}' is not a valid email address; use the form name@domain"
        ))
    }
}

impl fmt::Display for FieldType {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

fn parse_boolean(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Some(true),
        "false" | "0" | "no" => Some(false),
        _ => None,
    }
}

/// Parses a W3C date-time, a `YYYY-MM-DD HH:MM:SS` UTC time, or a bare date (midnight
/// UTC).
pub fn parse_datetime(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(parsed) = DateTime::parse_from_rfc3339(text) {
        return Some(parsed.with_timezone(&Utc));
    }
    if let Ok(naive) = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S") {
        return Some(naive.and_utc());
    }
    if let Ok(naive) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S") {
        return Some(naive.and_utc());
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|date| date.and_hms_opt(0, 0, 0))
        .map(|naive| naive.and_utc())
}

/// Formats a time the way Marketo's responses did: W3C, seconds, `+00:00`.
pub fn format_datetime(time: &DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%S+00:00").to_string()
}

/// A typed field value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldValue {
    /// Text of any text-like type.
    String(String),
    /// A whole number.
    Integer(i64),
    /// A decimal number or an amount.
    Float(f64),
    /// True or false.
    Boolean(bool),
    /// A calendar date.
    Date(NaiveDate),
    /// A date and time.
    Datetime(DateTime<Utc>),
}

impl FieldValue {
    /// Returns true for an empty string.
    pub fn is_empty_text(&self) -> bool {
        matches!(self, FieldValue::String(text) if text.is_empty())
    }
}

impl fmt::Display for FieldValue {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldValue::String(text) => formatter.write_str(text),
            FieldValue::Integer(number) => write!(formatter, "{number}"),
            FieldValue::Float(number) => write!(formatter, "{number}"),
            FieldValue::Boolean(flag) => write!(formatter, "{flag}"),
            FieldValue::Date(date) => write!(formatter, "{}", date.format("%Y-%m-%d")),
            FieldValue::Datetime(time) => formatter.write_str(&format_datetime(time)),
        }
    }
}

/// The storage location of a field's value on the lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldStorage {
    /// In the lead's attribute map.
    Attribute,
    /// The lead's `Email` (also a `LeadRecord` element).
    Email,
    /// The email of the lead's owner, a sales user.
    OwnerEmail,
    /// The CRM user id of the lead's owner.
    OwnerCrmId,
}

/// One lead field of the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldDef {
    /// API name, used in `attrName`.
    pub name: String,
    /// Display name, used in `importToList` headers and activity records.
    pub display_name: String,
    /// Marketo data type.
    pub data_type: FieldType,
    /// Maximum length for text fields.
    pub size: Option<u32>,
    /// True when the API may not write the field.
    pub read_only: bool,
    /// True for fields an administrator added.
    pub custom: bool,
    /// Storage location of the value.
    pub storage: FieldStorage,
    /// Description shown by `describeMObject`.
    pub description: String,
}

impl FieldDef {
    fn standard(name: &str, display_name: &str, data_type: FieldType, description: &str) -> Self {
        FieldDef {
            name: name.to_string(),
            display_name: display_name.to_string(),
            data_type,
            size: if data_type.is_text() && data_type != FieldType::Text {
                Some(255)
            } else {
                None
            },
            read_only: false,
            custom: false,
            storage: FieldStorage::Attribute,
            description: description.to_string(),
        }
    }

    fn read_only(mut self) -> Self {
        self.read_only = true;
        self
    }

    fn custom(mut self) -> Self {
        self.custom = true;
        self
    }

    fn stored_in(mut self, storage: FieldStorage) -> Self {
        self.storage = storage;
        self
    }
}

/// Returns the sandbox's lead field catalogue: Marketo's common standard fields, the CRM
/// id fields, and a few made-up custom fields.
pub fn default_lead_fields() -> Vec<FieldDef> {
    use FieldType::*;
    vec![
        FieldDef::standard("Email", "Email Address", Email, "Lead's email address")
            .stored_in(FieldStorage::Email),
        FieldDef::standard("FirstName", "First Name", String, "Lead's first name"),
        FieldDef::standard("LastName", "Last Name", String, "Lead's last name"),
        FieldDef::standard("Title", "Job Title", String, "Lead's job title"),
        FieldDef::standard(
            "Company",
            "Company Name",
            String,
            "Name of the lead's company",
        ),
        FieldDef::standard(
            "Industry",
            "Industry",
            String,
            "Industry of the lead's company",
        ),
        FieldDef::standard(
            "NumberOfEmployees",
            "Num Employees",
            Integer,
            "Employees of the lead's company",
        ),
        FieldDef::standard(
            "AnnualRevenue",
            "Annual Revenue",
            Currency,
            "Annual revenue of the lead's company",
        ),
        FieldDef::standard("Phone", "Phone Number", Phone, "Lead's work phone number"),
        FieldDef::standard(
            "MobilePhone",
            "Mobile Phone Number",
            Phone,
            "Lead's mobile phone number",
        ),
        FieldDef::standard("Website", "Website", Url, "Website of the lead's company"),
        FieldDef::standard("Address", "Address", Text, "Street address"),
        FieldDef::standard("City", "City", String, "City"),
        FieldDef::standard("State", "State", String, "State or province"),
        FieldDef::standard("PostalCode", "Postal Code", String, "Postal code"),
        FieldDef::standard("Country", "Country", String, "Country"),
        FieldDef::standard(
            "LeadSource",
            "Lead Source",
            String,
            "Where the lead came from",
        ),
        FieldDef::standard(
            "LeadStatus",
            "Lead Status",
            String,
            "Sales status of the lead",
        ),
        FieldDef::standard(
            "LeadScore",
            "Lead Score",
            Score,
            "Marketing score of the lead",
        ),
        FieldDef::standard(
            "Unsubscribed",
            "Unsubscribed",
            Boolean,
            "True when the lead opted out of email",
        ),
        FieldDef::standard(
            "DoNotCall",
            "Do Not Call",
            Boolean,
            "True when the lead must not be phoned",
        ),
        FieldDef::standard("DateofBirth", "Date of Birth", Date, "Lead's date of birth"),
        FieldDef::standard(
            "AnonymousIP",
            "Anonymous IP",
            String,
            "IP address of the lead's last visit",
        ),
        FieldDef::standard(
            "InferredCompany",
            "Inferred Company",
            String,
            "Company inferred from the IP address",
        )
        .read_only(),
        FieldDef::standard(
            "InferredCountry",
            "Inferred Country",
            String,
            "Country inferred from the IP address",
        )
        .read_only(),
        FieldDef::standard(
            "SFDCLeadId",
            "SFDC Lead ID",
            String,
            "Id of the lead in the CRM",
        )
        .read_only(),
        FieldDef::standard(
            "SFDCContactId",
            "SFDC Contact ID",
            String,
            "Id of the contact in the CRM",
        )
        .read_only(),
        FieldDef::standard(
            "SFDCAccountId",
            "SFDC Account ID",
            String,
            "Id of the account in the CRM",
        )
        .read_only(),
        FieldDef::standard(
            "SFDCOpptyId",
            "SFDC Opportunity ID",
            String,
            "Id of the lead's opportunity in the CRM",
        )
        .read_only(),
        FieldDef::standard(
            "LeadOwnerEmail",
            "Lead Owner Email Address",
            Email,
            "Email of the sales user who owns the lead",
        )
        .stored_in(FieldStorage::OwnerEmail),
        FieldDef::standard(
            "SFDCLeadOwnerId",
            "SFDC Lead Owner ID",
            String,
            "CRM id of the sales user who owns the lead",
        )
        .read_only()
        .stored_in(FieldStorage::OwnerCrmId),
        FieldDef::standard(
            "PreferredLanguage",
            "Preferred Language",
            String,
            "Language for email content",
        )
        .custom(),
        FieldDef::standard(
            "SeatCount",
            "Seat Count",
            Integer,
            "Licensed seats of the lead's account",
        )
        .custom(),
        FieldDef::standard(
            "TrialEndsAt",
            "Trial Ends At",
            Datetime,
            "End of the lead's product trial",
        )
        .custom(),
        FieldDef::standard(
            "NewsletterOptIn",
            "Newsletter Opt In",
            Boolean,
            "True when the lead wants the newsletter",
        )
        .custom(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_values_parse_and_reject_text() {
        assert_eq!(
            FieldType::Integer.parse_value(" 42 ").unwrap(),
            Some(FieldValue::Integer(42))
        );
        assert!(FieldType::Integer
            .parse_value("forty")
            .unwrap_err()
            .contains("'forty'"));
    }

    #[test]
    fn empty_value_clears_any_type() {
        for field_type in [
            FieldType::String,
            FieldType::Integer,
            FieldType::Boolean,
            FieldType::Datetime,
        ] {
            assert_eq!(field_type.parse_value("  ").unwrap(), None, "{field_type}");
        }
    }

    #[test]
    fn booleans_accept_marketo_spellings() {
        for (text, expected) in [("true", true), ("FALSE", false), ("1", true), ("0", false)] {
            assert_eq!(
                FieldType::Boolean.parse_value(text).unwrap(),
                Some(FieldValue::Boolean(expected))
            );
        }
        assert!(FieldType::Boolean.parse_value("maybe").is_err());
    }

    #[test]
    fn datetimes_accept_offsets_and_render_utc() {
        let value = FieldType::Datetime
            .parse_value("2024-05-01T09:30:00-05:00")
            .unwrap()
            .unwrap();

        assert_eq!(value.to_string(), "2024-05-01T14:30:00+00:00");
    }

    #[test]
    fn catalogue_names_are_unique() {
        let fields = default_lead_fields();
        for (index, field) in fields.iter().enumerate() {
            let same_name = fields
                .iter()
                .skip(index + 1)
                .any(|f| f.name.eq_ignore_ascii_case(&field.name));
            let same_display = fields
                .iter()
                .skip(index + 1)
                .any(|f| f.display_name.eq_ignore_ascii_case(&field.display_name));
            assert!(!same_name, "duplicate API name {}", field.name);
            assert!(
                !same_display,
                "duplicate display name {}",
                field.display_name
            );
        }
    }
}
