//! Rust names for schema names: fields in `snake_case`, enumeration values in `UpperCamelCase`,
//! keywords escaped, collisions inside one scope resolved with a numeric suffix.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::Ident;

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "gen", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Hands out distinct identifiers within one scope (the fields of a struct, the variants of
/// an enum).
#[derive(Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A `snake_case` field or method name for `xml_name`.
    pub fn field(&mut self, xml_name: &str) -> Ident {
        let mut base = xml_name.to_snake_case();
        if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
            base = format!("field_{base}");
        }
        self.unique(base)
    }

    /// An `UpperCamelCase` variant name for an enumeration value.
    pub fn variant(&mut self, value: &str) -> Ident {
        let mut base = value.to_upper_camel_case();
        if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
            base = format!("Value{base}");
        }
        self.unique(base)
    }

    /// Reserves `name` as it is, for names fixed by the generator.
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_owned());
    }

    fn unique(&mut self, base: String) -> Ident {
        let mut candidate = base.clone();
        let mut counter = 2;
        while self.taken.contains(&candidate) {
            candidate = format!("{base}{counter}");
            counter += 1;
        }
        self.taken.insert(candidate.clone());
        ident(&candidate)
    }
}

/// An identifier, escaped as a raw identifier where it is a keyword.
pub fn ident(name: &str) -> Ident {
    if KEYWORDS.contains(&name) {
        if matches!(name, "self" | "Self" | "super" | "crate") {
            return Ident::new(&format!("{name}_"), proc_macro2::Span::call_site());
        }
        return Ident::new_raw(name, proc_macro2::Span::call_site());
    }
    Ident::new(name, proc_macro2::Span::call_site())
}

/// A type name for a schema type name: schema type names are kept as they are, apart from
/// making them valid `UpperCamelCase` identifiers.
pub fn type_ident(schema_name: &str) -> Ident {
    let mut name: String = schema_name
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if name.chars().next().is_some_and(|c| c.is_lowercase()) {
        name = name.to_upper_camel_case();
    }
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("Type{name}");
    }
    ident(&name)
}
