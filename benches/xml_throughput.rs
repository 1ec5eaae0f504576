//! XML throughput of the generated (de)serializers against a plain quick-xml pass.
//!
//! The bench builds two documents in memory from a seeded PRNG, so every run measures the
//! same bytes:
//!
//! - a `getMultipleLeads` response of 1,000 leads with 30 attributes each (about 3.9 MB),
//!   encoded from a typed `SuccessGetMultipleLeads` with `encode_response`;
//! - a `syncMultipleLeads` request of 300 leads, encoded with `encode_request`.
//!
//! Each case is measured together with the plain pass over its document, in interleaved
//! rounds (one iteration of each per round), so load from other processes slows both
//! alike. After a warm-up, the rounds run for about 2.5 seconds per case, and each case
//! reports its median iteration time. The bench prints one line per case:
//!
//! ```text
//! RESULT <case> <MB/s> <ratio>
//! ```
//!
//! MB/s is 10^6 bytes of the document per second. The ratio is the case's median time
//! divided by the median time of a plain quick-xml pass over the same bytes, so the plain
//! passes report 1.0 and 2.0 means twice as slow.
//!
//! Run it with `cargo bench --bench xml_throughput`. Without `--bench` (as `cargo test
//! --benches` runs it) every case runs twice, one warm-up and one measured iteration, as a
//! smoke test. Two environment variables help
//! with profiling:
//!
//! - `XML_THROUGHPUT_CASE=<case>` runs only that case, without its baseline, so its ratio
//!   prints as `NaN` unless it is a plain pass;
//! - `XML_THROUGHPUT_ITERATIONS=<n>` runs exactly `n` measured iterations after a single
//!   warm-up iteration, for example under `valgrind --tool=callgrind`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use mktows::envelope::{decode_request, decode_response, encode_request, encode_response};
use mktows::types::{
    ArrayOfAttribute, ArrayOfLeadRecord, Attribute, ForeignSysType, LeadRecord,
    ParamsSyncMultipleLeads, ResultGetMultipleLeads, SuccessGetMultipleLeads,
};
use mktows::xml::Nillable;
use mktows::{Operation, Request, Response};
use quick_xml::events::Event;
use quick_xml::Reader;

/// Leads in the `getMultipleLeads` response.
const RESPONSE_LEADS: usize = 1_000;
/// Leads in the `syncMultipleLeads` request.
const REQUEST_LEADS: usize = 300;
/// Attributes per lead, in both documents.
const ATTRIBUTES_PER_LEAD: usize = 30;
/// Accepted size of the response document, in bytes, around the intended 3.9 MB.
const RESPONSE_SIZE_RANGE: std::ops::RangeInclusive<usize> = 3_700_000..=4_100_000;

/// Measured time per case, after warm-up.
const MEASUREMENT_TIME: Duration = Duration::from_millis(2_500);
/// Warm-up time per case.
const WARM_UP_TIME: Duration = Duration::from_millis(300);
/// Bounds on the measured iterations per case.
const MIN_ITERATIONS: usize = 11;
const MAX_ITERATIONS: usize = 5_000;

fn main() {
    let bench_mode = std::env::args().any(|argument| argument == "--bench");
    let selected_case = std::env::var("XML_THROUGHPUT_CASE").ok();
    let fixed_iterations = std::env::var("XML_THROUGHPUT_ITERATIONS").ok().map(|value| {
        value.parse::<usize>().unwrap_or_else(|_| {
            panic!("XML_THROUGHPUT_ITERATIONS={value:?} is not a whole number; set it to the iteration count, e.g. 5")
        })
    });
    let plan = if !bench_mode {
        Plan::Fixed { iterations: 1 }
    } else if let Some(iterations) = fixed_iterations {
        Plan::Fixed {
            iterations: iterations.max(1),
        }
    } else {
        Plan::Timed
    };

    let documents = Documents::build();
    println!(
        "document getMultipleLeads response: {} bytes ({RESPONSE_LEADS} leads x {ATTRIBUTES_PER_LEAD} attributes)",
        documents.response_bytes.len()
    );
    println!(
        "document syncMultipleLeads request: {} bytes ({REQUEST_LEADS} leads x {ATTRIBUTES_PER_LEAD} attributes)",
        documents.request_bytes.len()
    );

    let response = &documents.response_bytes[..];
    let request = &documents.request_bytes[..];
    let response_group = vec![
        Case::new("plain_quick_xml", response.len(), || plain_pass(response)),
        Case::new("deserialize_get_multiple_leads", response.len(), || {
            decode_response::<SuccessGetMultipleLeads>(Operation::GetMultipleLeads, response)
                .expect("the generated getMultipleLeads response must decode")
                .result
                .return_count as usize
        }),
    ];
    let request_group = vec![
        Case::new("plain_quick_xml_sync_request", request.len(), || {
            plain_pass(request)
        }),
        Case::new("serialize_sync_multiple_leads", request.len(), || {
            encode_request(Operation::SyncMultipleLeads, &[], &documents.request)
                .expect("the generated syncMultipleLeads request must encode")
                .len()
        }),
    ];

    for group in [response_group, request_group] {
        let selected: Vec<Case<'_>> = group
            .into_iter()
            .filter(|case| {
                selected_case
                    .as_deref()
                    .is_none_or(|selected| selected == case.name)
            })
            .collect();
        if !selected.is_empty() {
            measure_group(selected, plan);
        }
    }
}

/// The inputs of every case: the typed values and their encoded bytes.
struct Documents {
    response_bytes: Vec<u8>,
    request: ParamsSyncMultipleLeads,
    request_bytes: Vec<u8>,
}

impl Documents {
    /// Builds both documents and checks that they decode back to the values they came from,
    /// so the measured code paths are the successful ones.
    fn build() -> Self {
        let mut random = SplitMix64::new(0x6d6b_746f_7773_2d32);

        let response = SuccessGetMultipleLeads {
            result: response_result(&mut random),
        };
        let response_text = encode_response(&Response::GetMultipleLeads(response.clone()))
            .expect("the generated getMultipleLeads response must encode");
        let response_bytes = response_text.into_bytes();
        assert!(
            RESPONSE_SIZE_RANGE.contains(&response_bytes.len()),
            "the getMultipleLeads response is {} bytes, outside {RESPONSE_SIZE_RANGE:?}; adjust the value pools",
            response_bytes.len()
        );
        let decoded = decode_response::<SuccessGetMultipleLeads>(
            Operation::GetMultipleLeads,
            &response_bytes,
        )
        .expect("the generated getMultipleLeads response must decode");
        assert!(
            decoded == response,
            "the getMultipleLeads response changed in a round trip through XML"
        );

        let request = sync_params(&mut random);
        let request_text = encode_request(Operation::SyncMultipleLeads, &[], &request)
            .expect("the generated syncMultipleLeads request must encode");
        let request_bytes = request_text.into_bytes();
        let (_, decoded) = decode_request(&request_bytes)
            .expect("the generated syncMultipleLeads request must decode");
        assert!(
            decoded == Request::SyncMultipleLeads(request.clone()),
            "the syncMultipleLeads request changed in a round trip through XML"
        );

        Self {
            response_bytes,
            request,
            request_bytes,
        }
    }
}

/// Reads every event of `bytes` with a non-namespace quick-xml reader, decoding every text
/// and resolving every entity reference.
///
/// Returns the decoded text length plus the tag name lengths, so the work cannot be
/// optimized out.
fn plain_pass(bytes: &[u8]) -> usize {
    let mut reader = Reader::from_reader(bytes);
    let mut total = 0usize;
    loop {
        match reader
            .read_event()
            .expect("the generated document must be well-formed XML")
        {
            Event::Start(start) | Event::Empty(start) => total += start.name().as_ref().len(),
            Event::End(end) => total += end.name().as_ref().len(),
            Event::Text(text) => total += text.xml10_content().expect("text must be UTF-8").len(),
            Event::CData(data) => total += data.xml10_content().expect("CDATA must be UTF-8").len(),
            Event::GeneralRef(reference) => {
                total += match reference
                    .resolve_char_ref()
                    .expect("character references must be valid")
                {
                    Some(character) => character.len_utf8(),
                    None => {
                        let name = reference.decode().expect("entity names must be UTF-8");
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .unwrap_or_else(|| {
                                panic!("the document uses the unknown entity &{name};")
                            })
                            .len()
                    }
                }
            }
            Event::Eof => return total,
            _ => {}
        }
    }
}

/// How many iterations a case runs.
#[derive(Clone, Copy)]
enum Plan {
    /// Warm up for [`WARM_UP_TIME`], then run for about [`MEASUREMENT_TIME`] per case.
    Timed,
    /// One warm-up iteration, then exactly this many.
    Fixed { iterations: usize },
}

/// One measured operation over one document.
struct Case<'a> {
    name: &'static str,
    /// Size of the document the case reads or writes, for MB/s.
    document_bytes: usize,
    /// The work of one iteration; returns a number derived from the result, for `black_box`.
    work: Box<dyn FnMut() -> usize + 'a>,
}

impl<'a> Case<'a> {
    fn new(name: &'static str, document_bytes: usize, work: impl FnMut() -> usize + 'a) -> Self {
        Self {
            name,
            document_bytes,
            work: Box::new(work),
        }
    }
}

/// Measures the cases of a group in interleaved rounds (one iteration of each per round) and
/// prints their results.
///
/// Interleaving makes load from other processes hit the case and its baseline alike, which
/// keeps the ratio steady on a shared machine. The first case is the baseline of the ratio
/// when it is a plain pass. Otherwise (one other case selected) the ratio prints as `NaN`.
fn measure_group(mut cases: Vec<Case<'_>>, plan: Plan) {
    let rounds = match plan {
        Plan::Fixed { iterations } => {
            run_round(&mut cases, None);
            iterations
        }
        Plan::Timed => {
            let started = Instant::now();
            let mut warm_up_rounds = 0u32;
            while started.elapsed() < WARM_UP_TIME || warm_up_rounds < 2 {
                run_round(&mut cases, None);
                warm_up_rounds += 1;
            }
            let per_round = started.elapsed().as_secs_f64() / f64::from(warm_up_rounds);
            let planned = MEASUREMENT_TIME.as_secs_f64() * cases.len() as f64 / per_round.max(1e-9);
            (planned as usize).clamp(MIN_ITERATIONS, MAX_ITERATIONS)
        }
    };

    let mut times: Vec<Vec<Duration>> = cases.iter().map(|_| Vec::with_capacity(rounds)).collect();
    for _ in 0..rounds {
        run_round(&mut cases, Some(&mut times));
    }

    let medians: Vec<Duration> = times
        .iter_mut()
        .map(|case_times| median(case_times))
        .collect();
    let baseline = if cases[0].name.starts_with("plain_") {
        Some(medians[0])
    } else {
        None
    };
    for ((case, case_times), case_median) in cases.iter().zip(&times).zip(&medians) {
        println!(
            "case {}: {} bytes, {rounds} iterations, median {:.3} ms, min {:.3} ms, max {:.3} ms",
            case.name,
            case.document_bytes,
            millis(*case_median),
            millis(case_times[0]),
            millis(case_times[case_times.len() - 1])
        );
    }
    for (case, case_median) in cases.iter().zip(&medians) {
        let megabytes_per_second = case.document_bytes as f64 / case_median.as_secs_f64() / 1e6;
        let ratio = baseline.map_or(f64::NAN, |baseline| {
            case_median.as_secs_f64() / baseline.as_secs_f64()
        });
        println!("RESULT {} {megabytes_per_second:.1} {ratio:.2}", case.name);
    }
}

/// Runs one iteration of each case, recording the times when `times` is given.
fn run_round(cases: &mut [Case<'_>], mut times: Option<&mut [Vec<Duration>]>) {
    for (index, case) in cases.iter_mut().enumerate() {
        let started = Instant::now();
        black_box((case.work)());
        let elapsed = started.elapsed();
        if let Some(times) = times.as_deref_mut() {
            times[index].push(elapsed);
        }
    }
}

/// Sorts `times` and returns the middle one.
fn median(times: &mut [Duration]) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

// ---------------------------------------------------------------------------------------
// Made-up lead data
// ---------------------------------------------------------------------------------------

/// SplitMix64, a small seeded PRNG, good enough to vary made-up values deterministically.
struct SplitMix64(u64);

impl SplitMix64 {
    fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Returns a number in `0..bound`.
    fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    /// Returns `true` with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const FIRST_NAMES: &[&str] = &[
    "Alba", "Bertil", "Cosima", "Dario", "Elsbeth", "Florin", "Greta", "Hamish", "Ilse", "Joaquin",
    "Kalani", "Linnea", "Matthias", "Noor", "Odile", "Piotr", "Quilla", "Rasmus", "Saoirse",
    "Tobias", "Ulrike", "Viggo", "Wren", "Xiomara", "Yannick", "Zofia", "Åsa", "Émile",
];

const LAST_NAMES: &[&str] = &[
    "Abernathy",
    "Birchwood",
    "Castellanos",
    "Dunmore",
    "Eriksen",
    "Fairweather",
    "Grünwald",
    "Holloway",
    "Ibarra",
    "Jorgensen",
    "Kowalczyk",
    "Lindqvist",
    "Montague",
    "Nakamura-Reyes",
    "Oyelaran",
    "Pemberton",
    "Quenneville",
    "Rothbauer",
    "Sandoval",
    "Thistlewood",
    "Underhill",
    "Vasquez",
    "Whitcombe",
    "Yarborough",
];

/// Company names; the ones with `&` exercise escaping.
const COMPANIES: &[&str] = &[
    "Amberline Cartography",
    "Bellflower Robotics",
    "Copperleaf Textiles & Dye Works",
    "Driftwood Analytics",
    "Evergrove Biotech",
    "Foxglove Freight",
    "Granite Peak Software",
    "Harbormist Insurance",
    "Ironbark & Sons Joinery",
    "Juniper Loom Co.",
    "Kestrel Avionics",
    "Lanternfish Media",
    "Moonridge Capital",
    "Northwind Ceramics",
    "Oakhollow Farms",
    "Pinecrest Logistics & Storage",
    "Quarry Lane Studios",
    "Riverstone Health",
];

const TITLES: &[&str] = &[
    "Director of Operations",
    "Senior Data Engineer",
    "VP Marketing",
    "Head of R&D",
    "Procurement Manager",
    "Chief Financial Officer",
    "Customer Success Lead",
    "Product Designer",
];

const CITIES: &[(&str, &str, &str)] = &[
    ("Tidewater", "OR", "USA"),
    ("Maplestead", "VT", "USA"),
    ("Brackenridge", "ON", "Canada"),
    ("Eastholm", "ENG", "United Kingdom"),
    ("Lindenau", "BY", "Germany"),
    ("Porto Claro", "SP", "Brazil"),
];

const INDUSTRIES: &[&str] = &[
    "Manufacturing",
    "Healthcare",
    "Software",
    "Logistics",
    "Financial Services",
    "Media",
];
const LEAD_SOURCES: &[&str] = &[
    "Web Form",
    "Trade Show",
    "Partner Referral",
    "Webinar",
    "Cold Call",
];
const LEAD_STATUSES: &[&str] = &[
    "Open",
    "Contacted",
    "Qualified",
    "Nurturing",
    "Disqualified",
];

/// Notes; the ones with `<` and `&` exercise escaping.
const NOTES: &[&str] = &[
    "Prefers email over phone",
    "Budget < 10k this quarter",
    "Met at the spring expo",
    "Renewal due in Q3 & upsell likely",
    "Asked for a pricing sheet",
    "Team size <50, evaluating tools",
];

/// Builds the result of the `getMultipleLeads` response, with [`RESPONSE_LEADS`] leads.
fn response_result(random: &mut SplitMix64) -> ResultGetMultipleLeads {
    let lead_record = (0..RESPONSE_LEADS)
        .map(|index| response_lead(random, index))
        .collect();
    ResultGetMultipleLeads {
        return_count: RESPONSE_LEADS as i32,
        remaining_count: 4_217,
        new_stream_position: "QmVuY2htYXJrIHN0cmVhbSAwMDAx:c3RhcnQ=".to_owned(),
        lead_record_list: Some(Nillable::Value(ArrayOfLeadRecord { lead_record })),
    }
}

fn response_lead(random: &mut SplitMix64, index: usize) -> LeadRecord {
    let person = Person::random(random, index);
    let has_foreign_id = random.chance(40);
    let foreign_sys_person_id = if has_foreign_id {
        Nillable::Value(format!("CRM-{:07}", random.below(10_000_000)))
    } else {
        Nillable::Nil
    };
    let foreign_sys_type = if has_foreign_id {
        let choices = [
            ForeignSysType::Custom,
            ForeignSysType::Sfdc,
            ForeignSysType::Netsuite,
        ];
        Nillable::Value(choices[random.below(3) as usize].clone())
    } else {
        Nillable::Nil
    };
    let attribute = lead_attributes(random, &person, true);
    LeadRecord {
        id: Some(Nillable::Value(person.id)),
        email: Some(Nillable::Value(person.email.clone())),
        foreign_sys_person_id: Some(foreign_sys_person_id),
        foreign_sys_type: Some(foreign_sys_type),
        lead_attribute_list: Some(Nillable::Value(ArrayOfAttribute { attribute })),
    }
}

/// Builds the body of the `syncMultipleLeads` request. Its leads are keyed by email and
/// have no `attrType`, as clients usually send them.
fn sync_params(random: &mut SplitMix64) -> ParamsSyncMultipleLeads {
    let lead_record = (0..REQUEST_LEADS)
        .map(|index| {
            let person = Person::random(random, RESPONSE_LEADS + index);
            let attribute = lead_attributes(random, &person, false);
            LeadRecord {
                email: Some(Nillable::Value(person.email.clone())),
                lead_attribute_list: Some(Nillable::Value(ArrayOfAttribute { attribute })),
                ..LeadRecord::default()
            }
        })
        .collect();
    ParamsSyncMultipleLeads {
        lead_record_list: ArrayOfLeadRecord { lead_record },
        dedup_enabled: Some(Nillable::Value(true)),
    }
}

/// The identity of one made-up lead.
struct Person {
    id: i32,
    first_name: &'static str,
    last_name: &'static str,
    company: &'static str,
    email: String,
}

impl Person {
    fn random(random: &mut SplitMix64, index: usize) -> Self {
        let first_name = random.pick(FIRST_NAMES);
        let last_name = random.pick(LAST_NAMES);
        let company = random.pick(COMPANIES);
        let email = format!(
            "{}.{}{}@example.com",
            ascii_lowercase(first_name),
            ascii_lowercase(last_name),
            index
        );
        Self {
            id: 2_000_000 + index as i32 * 7,
            first_name,
            last_name,
            company,
            email,
        }
    }
}

/// Builds a free-text description of two or three sentences.
fn description(random: &mut SplitMix64, person: &Person) -> String {
    format!(
        "{} {} joined {} in {}; evaluating {} tooling for {} teams. {}. Preferred language for calls and written material: {}.",
        person.first_name,
        person.last_name,
        person.company,
        2010 + random.below(16),
        random.pick(INDUSTRIES).to_lowercase(),
        random.pick(&["small", "regional", "global", "distributed"]),
        random.pick(NOTES),
        random.pick(&["English", "Portuguese", "German", "French", "Swedish"])
    )
}

/// Lowercases a name and drops what is not an ASCII letter, for the local part of an email.
fn ascii_lowercase(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Builds [`ATTRIBUTES_PER_LEAD`] attributes. With `typed`, each gets an `attrType`, as a
/// server sends them.
fn lead_attributes(random: &mut SplitMix64, person: &Person, typed: bool) -> Vec<Attribute> {
    let (city, state, country) = CITIES[random.below(CITIES.len() as u64) as usize];
    let created_day = 1 + random.below(28);
    let values: [(&str, &str, String); ATTRIBUTES_PER_LEAD] = [
        ("FirstName", "string", person.first_name.to_owned()),
        ("LastName", "string", person.last_name.to_owned()),
        ("Company", "string", person.company.to_owned()),
        ("Title", "string", random.pick(TITLES).to_owned()),
        (
            "Phone",
            "phone",
            format!(
                "+1 555 {:03} {:04}",
                random.below(1000),
                random.below(10_000)
            ),
        ),
        (
            "MobilePhone",
            "phone",
            format!(
                "+1 555 {:03} {:04}",
                random.below(1000),
                random.below(10_000)
            ),
        ),
        (
            "Address",
            "text",
            format!(
                "{} Larkspur Avenue, Building {}, Suite {}",
                10 + random.below(9_990),
                random.pick(&["A", "B", "C"]),
                random.below(900)
            ),
        ),
        ("City", "string", city.to_owned()),
        ("State", "string", state.to_owned()),
        (
            "PostalCode",
            "string",
            format!("{:05}", random.below(100_000)),
        ),
        ("Country", "string", country.to_owned()),
        ("Industry", "string", random.pick(INDUSTRIES).to_owned()),
        ("LeadSource", "string", random.pick(LEAD_SOURCES).to_owned()),
        (
            "LeadStatus",
            "string",
            random.pick(LEAD_STATUSES).to_owned(),
        ),
        ("LeadScore", "integer", random.below(200).to_string()),
        (
            "AnnualRevenue",
            "currency",
            format!("{}.00", random.below(50_000_000)),
        ),
        (
            "NumberOfEmployees",
            "integer",
            (1 + random.below(20_000)).to_string(),
        ),
        (
            "Website",
            "url",
            format!(
                "https://www.{}.example.com/contact-us/leads/{}",
                ascii_lowercase(person.company),
                person.id
            ),
        ),
        ("Department", "string", random.pick(INDUSTRIES).to_owned()),
        (
            "Salutation",
            "string",
            random.pick(&["Mr.", "Ms.", "Mx.", "Dr."]).to_owned(),
        ),
        ("DoNotCall", "boolean", random.chance(10).to_string()),
        ("Unsubscribed", "boolean", random.chance(5).to_string()),
        ("Description", "text", description(random, person)),
        (
            "CreatedAt",
            "datetime",
            format!(
                "2025-{:02}-{created_day:02}T09:{:02}:00Z",
                1 + random.below(12),
                random.below(60)
            ),
        ),
        (
            "UpdatedAt",
            "datetime",
            format!("2026-02-{created_day:02}T17:{:02}:30Z", random.below(60)),
        ),
        ("InferredCompany", "string", person.company.to_owned()),
        ("InferredCountry", "string", country.to_owned()),
        (
            "Rating",
            "string",
            random.pick(&["Hot", "Warm", "Cold"]).to_owned(),
        ),
        ("SICCode", "string", format!("{:04}", random.below(10_000))),
        ("LeadNotes", "text", random.pick(NOTES).to_owned()),
    ];
    values
        .into_iter()
        .map(|(name, attr_type, value)| Attribute {
            attr_name: name.to_owned(),
            attr_type: typed.then(|| Nillable::Value(attr_type.to_owned())),
            attr_value: value,
        })
        .collect()
}
