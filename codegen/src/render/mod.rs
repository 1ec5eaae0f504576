//! Renders the model into Rust source: types, their XML (de)serializers, and the port.

pub mod port;
pub mod types;
pub mod xml;

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = …]` attributes for documentation lines, with `fallback` when there are none.
pub fn doc_attributes(lines: &[String], fallback: &str) -> TokenStream {
    let text: Vec<String> = lines
        .iter()
        .flat_map(|line| {
            line.lines()
                .map(str::trim)
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    let text: Vec<String> = trim_blank_edges(text);
    if text.is_empty() {
        let fallback = format!(" {fallback}");
        return quote! { #[doc = #fallback] };
    }
    let lines = text.iter().map(|line| {
        if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        }
    });
    quote! { #( #[doc = #lines] )* }
}

fn trim_blank_edges(mut lines: Vec<String>) -> Vec<String> {
    while lines.first().is_some_and(String::is_empty) {
        lines.remove(0);
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}
