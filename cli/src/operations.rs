//! Operation names: lookup with suggestions for typos, and the `operations` listing.

use mktows::Operation;

use crate::failure::Failure;

/// The maximum edit distance at which an unknown name still counts as a typo of an
/// operation name. Shorter inputs get less: one edit per four characters, at least one.
const MAX_TYPO_DISTANCE: usize = 3;

/// Returns the WSDL description of `operation`, or an empty string when it has none.
pub fn description(operation: Operation) -> &'static str {
    operation.documentation()
}

/// Formats the operation list: one line per operation, its name padded to a column,
/// then its description.
pub fn listing() -> String {
    let width = Operation::ALL
        .iter()
        .map(|operation| operation.name().len())
        .max()
        .unwrap_or(0);
    let mut text = String::new();
    for operation in Operation::ALL {
        let line = format!("{:width$}  {}", operation.name(), description(operation));
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

/// Looks an operation up by its WSDL name.
///
/// # Errors
///
/// Returns a usage failure for an unknown name that points to `mktows operations` and
/// lists the close matches: the name that differs only in case if there is one, else
/// the names that contain the input or are a few edits away.
pub fn resolve(name: &str) -> Result<Operation, Failure> {
    if let Some(operation) = Operation::from_name(name) {
        return Ok(operation);
    }

    let matches = close_matches(name);
    let hint = match matches.as_slice() {
        [] => String::new(),
        [only] => format!(" Did you mean {only}?"),
        several => format!(" Did you mean one of {}?", several.join(", ")),
    };
    Err(Failure::usage(format!(
        "unknown operation {name:?}.{hint} Run `mktows operations` to list all {} operations.",
        Operation::ALL.len()
    )))
}

/// Returns the operation names close to `name`, closest first.
fn close_matches(name: &str) -> Vec<&'static str> {
    let input = name.to_lowercase();
    let max_distance = (input.chars().count() / 4).clamp(1, MAX_TYPO_DISTANCE);
    let mut scored: Vec<(usize, &'static str)> = Operation::ALL
        .iter()
        .filter_map(|operation| {
            let candidate = operation.name().to_lowercase();
            let distance = strsim::levenshtein(&input, &candidate);
            let contains =
                input.len() >= 3 && (candidate.contains(&input) || input.contains(&candidate));
            (distance <= max_distance || contains).then_some((distance, operation.name()))
        })
        .collect();
    scored.sort();

    // A name that differs only in case is the one the user meant.
    if scored.first().is_some_and(|(distance, _)| *distance == 0) {
        scored.truncate(1);
    }
    scored.into_iter().map(|(_, name)| name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_has_description() {
        for operation in Operation::ALL {
            assert!(
                !description(operation).is_empty(),
                "{operation} has no description in the WSDL"
            );
        }
    }

    #[test]
    fn listing_has_one_line_per_operation() {
        let listing = listing();
        let lines: Vec<&str> = listing.lines().collect();
        assert_eq!(lines.len(), Operation::ALL.len());
        assert!(lines[0].starts_with("getLead "), "{}", lines[0]);
        assert!(
            lines[0].contains(description(Operation::GetLead)),
            "{}",
            lines[0]
        );
    }

    #[test]
    fn resolve_accepts_exact_name() {
        assert_eq!(resolve("syncMObjects").unwrap(), Operation::SyncMObjects);
    }

    #[test]
    fn resolve_rejects_wrong_case_with_suggestion() {
        let failure = resolve("getlead").unwrap_err();
        assert!(
            failure.message.contains("Did you mean getLead?"),
            "{}",
            failure.message
        );
    }

    #[test]
    fn resolve_suggests_typo_match() {
        let failure = resolve("getLeads").unwrap_err();
        assert!(
            failure.message.contains("Did you mean getLead?"),
            "{}",
            failure.message
        );
    }

    #[test]
    fn resolve_suggests_substring_matches() {
        let failure = resolve("CustomObjects").unwrap_err();
        assert!(
            failure.message.contains("Did you mean one of "),
            "{}",
            failure.message
        );
        for name in [
            "getCustomObjects",
            "syncCustomObjects",
            "deleteCustomObjects",
        ] {
            assert!(failure.message.contains(name), "{}", failure.message);
        }
    }

    #[test]
    fn resolve_without_match_points_to_listing() {
        let failure = resolve("frobnicate").unwrap_err();
        assert!(
            !failure.message.contains("Did you mean"),
            "{}",
            failure.message
        );
        assert!(
            failure.message.contains("mktows operations"),
            "{}",
            failure.message
        );
    }
}
