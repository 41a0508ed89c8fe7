//! The wire structs: PEP 691 pages as `serde` reads them, borrowing where it can.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

#[derive(Deserialize, Default)]
pub(super) struct WireMeta {
    #[serde(rename = "api-version")]
    pub(super) api_version: Option<String>,
    #[serde(rename = "_last-serial", default, deserialize_with = "serial")]
    pub(super) last_serial: Option<String>,
    #[serde(default)]
    pub(super) tracks: Vec<String>,
    #[serde(rename = "project-status")]
    pub(super) project_status: Option<serde_json::Value>,
    #[serde(rename = "project-status-reason")]
    pub(super) project_status_reason: Option<String>,
}

pub(super) fn serial<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Serial {
        Number(u64),
        Text(String),
    }
    Ok(Option::<Serial>::deserialize(d)
        .map_err(|_| de::Error::custom("`_last-serial` must be a number or a string"))?
        .map(|s| match s {
            Serial::Number(n) => n.to_string(),
            Serial::Text(t) => t,
        }))
}

/// `size`: a number, or a string of decimal digits (as pypi-simple's model coerces it).
pub(super) fn size<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Size<'a> {
        Number(u64),
        Text(Cow<'a, str>),
    }
    match Option::<Size<'_>>::deserialize(d)
        .map_err(|_| de::Error::custom("`size` must be a non-negative integer"))?
    {
        None => Ok(None),
        Some(Size::Number(n)) => Ok(Some(n)),
        Some(Size::Text(t)) => {
            if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
                t.parse().map(Some).map_err(|_| {
                    de::Error::custom(format_args!("`size` {t:?} does not fit 64 bits"))
                })
            } else {
                Err(de::Error::custom(format_args!(
                    "`size` {t:?} is not a non-negative integer"
                )))
            }
        }
    }
}

#[derive(Deserialize)]
pub(super) struct WireStatus {
    pub(super) status: Option<String>,
    pub(super) reason: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct WireProject<'a> {
    pub(super) meta: WireMeta,
    pub(super) name: String,
    #[serde(borrow)]
    pub(super) files: Vec<WireFile<'a>>,
    pub(super) versions: Option<Vec<String>>,
    #[serde(rename = "project-status")]
    pub(super) project_status: Option<WireStatus>,
    #[serde(rename = "alternate-locations", default)]
    pub(super) alternate_locations: Vec<String>,
}

#[derive(Deserialize)]
pub(super) struct WireFile<'a> {
    pub(super) filename: String,
    #[serde(borrow)]
    pub(super) url: Text<'a>,
    #[serde(borrow)]
    pub(super) hashes: RawHashes<'a>,
    #[serde(rename = "requires-python")]
    pub(super) requires_python: Option<String>,
    #[serde(default)]
    pub(super) yanked: Option<BoolOr<String>>,
    #[serde(rename = "core-metadata", borrow)]
    pub(super) core_metadata: Option<BoolOr<RawHashes<'a>>>,
    #[serde(rename = "dist-info-metadata", borrow)]
    pub(super) dist_info_metadata: Option<BoolOr<RawHashes<'a>>>,
    /// The key PyPI writes in JSON (an HTML attribute name that leaked into JSON).
    #[serde(rename = "data-dist-info-metadata", borrow)]
    pub(super) data_dist_info_metadata: Option<BoolOr<RawHashes<'a>>>,
    #[serde(rename = "gpg-sig")]
    pub(super) gpg_sig: Option<bool>,
    #[serde(default, deserialize_with = "size")]
    pub(super) size: Option<u64>,
    #[serde(rename = "upload-time")]
    pub(super) upload_time: Option<String>,
    #[serde(borrow)]
    pub(super) provenance: Option<Text<'a>>,
}

/// A string borrowed from the input when it holds no escapes.
#[derive(PartialEq)]
pub(super) struct Text<'a>(pub(super) Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// A `hashes` object, `{"sha256": "…", …}`, in page order, read without copying (and, for the
/// usual single pair, without allocating).
#[derive(PartialEq)]
pub(super) struct RawHashes<'a> {
    pub(super) first: Option<(Text<'a>, Text<'a>)>,
    pub(super) rest: Vec<(Text<'a>, Text<'a>)>,
}

impl RawHashes<'_> {
    pub(super) fn pairs(&self) -> impl Iterator<Item = &(Text<'_>, Text<'_>)> {
        self.first.iter().chain(&self.rest)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for RawHashes<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawHashes<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of hashes")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawHashes<'de>, A::Error> {
                let first = map.next_entry::<Text<'de>, Text<'de>>()?;
                let mut rest = Vec::new();
                if first.is_some() {
                    while let Some(pair) = map.next_entry::<Text<'de>, Text<'de>>()? {
                        rest.push(pair);
                    }
                }
                Ok(RawHashes { first, rest })
            }
        }
        d.deserialize_map(V)
    }
}

/// What a [`BoolOr`] value is when it is not a boolean, for error messages.
trait Expected {
    const WHAT: &'static str;
}

impl Expected for String {
    const WHAT: &'static str = "a boolean or a string";
}

impl Expected for RawHashes<'_> {
    const WHAT: &'static str = "a boolean or an object of hashes";
}

/// A value that is `true`, `false` or a `T` (yanked: a reason; core-metadata: hashes), read
/// without buffering.
#[derive(PartialEq)]
pub(super) enum BoolOr<T> {
    Bool(bool),
    Value(T),
}

impl<'de, T: Deserialize<'de> + Expected> Deserialize<'de> for BoolOr<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer};
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de> + Expected> Visitor<'de> for V<T> {
            type Value = BoolOr<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(T::WHAT)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<BoolOr<T>, E> {
                Ok(BoolOr::Bool(v))
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<BoolOr<T>, E> {
                T::deserialize(BorrowedStrDeserializer::new(v)).map(BoolOr::Value)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<BoolOr<T>, E> {
                T::deserialize(de::IntoDeserializer::<E>::into_deserializer(v.to_owned()))
                    .map(BoolOr::Value)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<BoolOr<T>, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(BoolOr::Value)
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}
