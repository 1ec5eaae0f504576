//! Channels with their progression statuses (`getChannels`) and the other program tags
//! (`getTags`).

use serde::{Deserialize, Serialize};

use super::{same_name, Attrib, Store};

/// One progression status of a channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelStatus {
    /// Status name, for example "Attended".
    pub name: String,
    /// Step number; later steps are higher.
    pub step: i32,
    /// True when reaching the status counts as program success.
    pub success: bool,
    /// For event channels, the check-in status the progression status maps to.
    pub check_in_status: Option<String>,
}

impl ChannelStatus {
    /// Returns the status as the WSDL's `progressionStatus` attribute list: `Status`,
    /// `Step`, `Check-in Status` (event channels only) and `Success`.
    pub fn to_attribs(&self) -> Vec<Attrib> {
        let mut attribs = vec![
            Attrib::new("Status", &self.name),
            Attrib::new("Step", self.step.to_string()),
        ];
        if let Some(check_in) = &self.check_in_status {
            attribs.push(Attrib::new("Check-in Status", check_in));
        }
        attribs.push(Attrib::new("Success", self.success.to_string()));
        attribs
    }
}

/// A channel: a program tag value with progression statuses, the WSDL's `TagStatus`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Channel {
    /// Channel name, the `tagValue`.
    pub name: String,
    /// Program type the channel applies to, for example "Event".
    pub applies_to: String,
    /// Progression statuses.
    pub statuses: Vec<ChannelStatus>,
}

/// A tag type and its allowed values, the WSDL's `Tag`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// `type`.
    pub tag_type: String,
    /// `values`.
    pub values: Vec<String>,
}

/// One entry of a `getTags` request: a tag type and, optionally, the values to return.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagQuery {
    /// `type`; all types when absent.
    pub tag_type: Option<String>,
    /// `values`; all values of the type when empty.
    pub values: Vec<String>,
}

impl Store {
    /// Adds a channel, replacing one with the same name.
    pub fn insert_channel(&mut self, channel: Channel) {
        self.channels
            .retain(|existing| !same_name(&existing.name, &channel.name));
        self.channels.push(channel);
    }

    /// Adds a tag type, replacing one with the same name.
    pub fn insert_tag(&mut self, tag: Tag) {
        self.tags
            .retain(|existing| !same_name(&existing.tag_type, &tag.tag_type));
        self.tags.push(tag);
    }

    /// Returns the channel with this name, ignoring case.
    pub fn channel(&self, name: &str) -> Option<&Channel> {
        self.channels
            .iter()
            .find(|channel| same_name(&channel.name, name))
    }

    /// Returns the tag type with this name, ignoring case.
    pub fn tag_type(&self, name: &str) -> Option<&Tag> {
        self.tags.iter().find(|tag| same_name(&tag.tag_type, name))
    }

    /// `getChannels`: the named channels (all when `names` is absent or empty), sorted by
    /// name, each with its statuses sorted by name. Unknown names are left out.
    pub fn get_channels(&mut self, names: Option<&[String]>) -> Vec<Channel> {
        self.begin_operation();
        let names = names.filter(|names| !names.is_empty());
        let mut channels: Vec<Channel> = self
            .channels
            .iter()
            .filter(|channel| {
                names.is_none_or(|names| names.iter().any(|name| same_name(name, &channel.name)))
            })
            .cloned()
            .collect();
        channels.sort_by(|a, b| a.name.cmp(&b.name));
        for channel in &mut channels {
            channel.statuses.sort_by(|a, b| a.name.cmp(&b.name));
        }
        channels
    }

    /// `getTags`: the non-channel tags, all when `queries` is absent or empty.
    ///
    /// Each query selects a tag type (or every type) and, when it lists values, only
    /// those of its values that exist. Unknown types and values are left out; a tag
    /// left with no values is dropped.
    pub fn get_tags(&mut self, queries: Option<&[TagQuery]>) -> Vec<Tag> {
        self.begin_operation();
        let Some(queries) = queries.filter(|queries| !queries.is_empty()) else {
            return self.tags.clone();
        };

        let mut result: Vec<Tag> = Vec::new();
        for query in queries {
            for tag in &self.tags {
                if query
                    .tag_type
                    .as_deref()
                    .is_some_and(|wanted| !same_name(wanted, &tag.tag_type))
                {
                    continue;
                }
                let values: Vec<String> = tag
                    .values
                    .iter()
                    .filter(|value| {
                        query.values.is_empty()
                            || query.values.iter().any(|wanted| same_name(wanted, value))
                    })
                    .cloned()
                    .collect();
                if values.is_empty() {
                    continue;
                }
                match result
                    .iter_mut()
                    .find(|existing| existing.tag_type == tag.tag_type)
                {
                    Some(existing) => {
                        for value in values {
                            if !existing.values.contains(&value) {
                                existing.values.push(value);
                            }
                        }
                    }
                    None => result.push(Tag {
                        tag_type: tag.tag_type.clone(),
                        values,
                    }),
                }
            }
        }
        result
    }
}
