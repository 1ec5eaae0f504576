//! `getTags` and `getChannels`.

use mktows::types as wire;

use super::convert::attribs_out;
use crate::error::SandboxResult;
use crate::store::{Store, TagQuery};

pub(crate) fn get_tags(
    store: &mut Store,
    request: wire::ParamsGetTags,
) -> SandboxResult<wire::SuccessGetTags> {
    let queries: Option<Vec<TagQuery>> = request.tag_list.map(|list| {
        list.tag
            .into_iter()
            .map(|tag| TagQuery {
                tag_type: tag.r#type,
                values: tag
                    .values
                    .map(|values| values.string_item)
                    .unwrap_or_default(),
            })
            .collect()
    });
    let tags = store.get_tags(queries.as_deref());
    let tags = tags
        .into_iter()
        .map(|tag| wire::Tag {
            r#type: Some(tag.tag_type),
            values: Some(wire::ArrayOfString {
                string_item: tag.values,
            }),
        })
        .collect();
    Ok(wire::SuccessGetTags {
        result: wire::ResultGetTags {
            tag_list: wire::ArrayOfTag { tag: tags },
        },
    })
}

/// `getChannels`. The channel names come from `tag/values`; `tag/type` is not checked,
/// because every channel is a value of the one "Channel" tag type.
pub(crate) fn get_channels(
    store: &mut Store,
    request: wire::ParamsGetChannels,
) -> SandboxResult<wire::SuccessGetChannels> {
    let names: Option<Vec<String>> = request
        .tag
        .and_then(|tag| tag.values)
        .map(|values| values.string_item);
    let channels = store.get_channels(names.as_deref());
    let statuses = channels
        .into_iter()
        .map(|channel| wire::TagStatus {
            tag_value: channel.name,
            status_list: wire::ArrayOfProgressionStatus {
                progression_status_item: channel
                    .statuses
                    .iter()
                    .map(|status| wire::ProgressionStatus {
                        progression_status: Some(attribs_out(status.to_attribs())),
                    })
                    .collect(),
            },
        })
        .collect();
    Ok(wire::SuccessGetChannels {
        result: wire::ResultGetChannels {
            tags: wire::ArrayOfTagStatus {
                tag_status: statuses,
            },
        },
    })
}
