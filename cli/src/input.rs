//! Reads the JSON arguments: a literal, `@FILE` or `-` for stdin.

use std::io::Read as _;

use crate::failure::Failure;

/// The source of a JSON argument.
#[derive(Debug, PartialEq, Eq)]
enum Source<'a> {
    /// The argument is the JSON text itself.
    Literal(&'a str),
    /// `@FILE`: the JSON is the content of the file.
    File(&'a str),
    /// `-`: the JSON is read from stdin.
    Stdin,
}

impl<'a> Source<'a> {
    fn of(argument: &'a str) -> Source<'a> {
        if argument == "-" {
            Source::Stdin
        } else if let Some(path) = argument.strip_prefix('@') {
            Source::File(path)
        } else {
            Source::Literal(argument)
        }
    }

    fn describe(&self) -> String {
        match self {
            Source::Literal(_) => "the command line".to_owned(),
            Source::File(path) => format!("the file {path}"),
            Source::Stdin => "stdin".to_owned(),
        }
    }
}

/// Reads and parses a JSON argument. `label` names it in messages, e.g. `the parameters`.
///
/// # Errors
///
/// Returns a usage failure when the file or stdin cannot be read, or when the text is not
/// JSON. The message contains serde_json's error with its line and column.
pub fn read_json(label: &str, argument: &str) -> Result<serde_json::Value, Failure> {
    let source = Source::of(argument);
    let text = match source {
        Source::Literal(text) => text.to_owned(),
        Source::File(path) => std::fs::read_to_string(path).map_err(|error| {
            Failure::usage(format!(
                "failed to read {label} from the file {path:?}: {error}"
            ))
        })?,
        Source::Stdin => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|error| {
                    Failure::usage(format!("failed to read {label} from stdin: {error}"))
                })?;
            text
        }
    };

    serde_json::from_str(&text).map_err(|error| {
        Failure::usage(format!(
            "invalid JSON in {label} from {}: {error}",
            source.describe()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_recognizes_all_forms() {
        assert_eq!(Source::of("-"), Source::Stdin);
        assert_eq!(
            Source::of("@leads/new.json"),
            Source::File("leads/new.json")
        );
        assert_eq!(Source::of("{\"a\": 1}"), Source::Literal("{\"a\": 1}"));
    }

    #[test]
    fn read_json_parses_literal() {
        let value = read_json("the parameters", "{\"leadKey\": {\"keyType\": \"IDNUM\"}}").unwrap();
        assert_eq!(value["leadKey"]["keyType"], "IDNUM");
    }

    #[test]
    fn read_json_reports_position_of_syntax_error() {
        let failure = read_json("the parameters", "{\"leadKey\": }").unwrap_err();
        assert!(
            failure.message.contains("line 1 column 13"),
            "{}",
            failure.message
        );
        assert!(
            failure.message.contains("the command line"),
            "{}",
            failure.message
        );
    }

    #[test]
    fn read_json_names_missing_file() {
        let failure = read_json("the parameters", "@/nonexistent/params-7f3a.json").unwrap_err();
        assert!(
            failure.message.contains("/nonexistent/params-7f3a.json"),
            "{}",
            failure.message
        );
    }
}
