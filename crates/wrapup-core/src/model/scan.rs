//! A small serde JSON deserializer for the replay hot path: borrowed strings, tight loops, cheap skipping.
//! Frames are whole conversations of several KB of which only a few fields matter; serde_json spends most of its
//! time on the rest. The serde model types are the same; only the byte-level reading differs.

use std::fmt;

use serde::de::value::{BorrowedStrDeserializer, StringDeserializer};
use serde::de::{self, DeserializeSeed, Visitor};
use serde::forward_to_deserialize_any;

/// Nesting deeper than this is refused (no stack overflow on hostile input).
const MAX_DEPTH: usize = 128;

/// Why a text is not the JSON expected, with the byte offset where reading stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Self { message: message.to_string() }
    }
}

/// Deserializes `T` from a complete JSON text (trailing white space only).
#[cfg(test)]
pub fn from_str<'de, T: de::Deserialize<'de>>(text: &'de str) -> Result<T, Error> {
    seed_from_str(text, std::marker::PhantomData)
}

/// Deserializes with a seed from a complete JSON text (trailing white space only).
pub fn seed_from_str<'de, S: DeserializeSeed<'de>>(text: &'de str, seed: S) -> Result<S::Value, Error> {
    let mut de = Deserializer { text, bytes: text.as_bytes(), pos: 0, depth: 0 };
    let value = seed.deserialize(&mut de).map_err(|e| de.locate(e))?;
    de.skip_ws();
    if de.pos != de.bytes.len() {
        return Err(de.error("trailing characters after the JSON value"));
    }
    Ok(value)
}

struct Deserializer<'de> {
    text: &'de str,
    bytes: &'de [u8],
    pos: usize,
    depth: usize,
}

/// A string read from the input: borrowed unless it had escapes.
enum Str<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl<'de> Deserializer<'de> {
    fn error(&self, message: &str) -> Error {
        Error { message: format!("{message} at byte {}", self.pos) }
    }

    /// Adds the position to errors raised by visitors (e.g. "invalid type").
    fn locate(&self, error: Error) -> Error {
        if error.message.contains(" at byte ") { error } else { Error { message: format!("{} at byte {}", error.message, self.pos) } }
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Result<u8, Error> {
        self.skip_ws();
        self.bytes.get(self.pos).copied().ok_or_else(|| self.error("unexpected end of input"))
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), Error> {
        if self.bytes[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.error("invalid literal"))
        }
    }

    fn enter(&mut self) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH { Err(self.error("nesting too deep")) } else { Ok(()) }
    }

    /// Index of the first `"`, `\\` or control character at or after `from` (or the end of input), eight bytes
    /// at a time: most strings are ids and timestamps without escapes.
    fn string_stop(&self, mut from: usize) -> usize {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGHS: u64 = 0x8080_8080_8080_8080;
        let zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
        while let Some(chunk) = self.bytes.get(from..from + 8) {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            // The lowest flagged byte is exact (borrows only run upwards).
            let stops = zero_byte(word ^ (ONES * u64::from(b'"')))
                | zero_byte(word ^ (ONES * u64::from(b'\\')))
                | (word.wrapping_sub(ONES * 0x20) & !word & HIGHS);
            if stops != 0 {
                return from + (stops.trailing_zeros() / 8) as usize;
            }
            from += 8;
        }
        while let Some(&b) = self.bytes.get(from) {
            if b == b'"' || b == b'\\' || b < 0x20 {
                break;
            }
            from += 1;
        }
        from
    }

    /// Reads a string; the current byte is the opening quote.
    fn string(&mut self) -> Result<Str<'de>, Error> {
        let start = self.pos + 1;
        self.pos = self.string_stop(start);
        match self.bytes.get(self.pos) {
            Some(b'"') => {
                let text = &self.text[start..self.pos];
                self.pos += 1;
                Ok(Str::Borrowed(text))
            }
            Some(b'\\') => self.escaped_string(start).map(Str::Owned),
            Some(_) => Err(self.error("control character in string")),
            None => Err(self.error("unterminated string")),
        }
    }

    /// The slow path of [`Self::string`]: decodes escapes into an owned string.
    fn escaped_string(&mut self, start: usize) -> Result<String, Error> {
        let mut out = String::from(&self.text[start..self.pos]);
        loop {
            let run = self.pos;
            self.pos = self.string_stop(run);
            out.push_str(&self.text[run..self.pos]);
            match self.bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let escape = *self.bytes.get(self.pos).ok_or_else(|| self.error("unterminated escape"))?;
                    self.pos += 1;
                    match escape {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        _ => return Err(self.error("invalid escape")),
                    }
                }
                Some(_) => return Err(self.error("control character in string")),
                None => return Err(self.error("unterminated string")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let digits = self.text.get(self.pos..self.pos + 4).ok_or_else(|| self.error("short \\u escape"))?;
        let value = u32::from_str_radix(digits, 16).map_err(|_| self.error("invalid \\u escape"))?;
        self.pos += 4;
        Ok(value)
    }

    /// `\uXXXX` (already past `\u`), joining surrogate pairs; a lone surrogate becomes U+FFFD.
    fn unicode_escape(&mut self) -> Result<char, Error> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) && self.bytes[self.pos..].starts_with(b"\\u") {
            let save = self.pos;
            self.pos += 2;
            let second = self.hex4()?;
            if (0xDC00..0xE000).contains(&second) {
                let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return Ok(char::from_u32(code).unwrap_or('\u{FFFD}'));
            }
            self.pos = save;
        }
        Ok(char::from_u32(first).unwrap_or('\u{FFFD}'))
    }

    /// Skips a string without decoding it; the current byte is the opening quote.
    fn skip_string(&mut self) -> Result<(), Error> {
        self.pos += 1;
        loop {
            self.pos = self.string_stop(self.pos);
            match self.bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\\') if self.pos + 1 < self.bytes.len() => self.pos += 2,
                Some(b'\\') | None => return Err(self.error("unterminated string")),
                Some(_) => return Err(self.error("control character in string")),
            }
        }
    }

    /// The extent of a number starting at the current byte, checked against the JSON grammar.
    fn number_text(&mut self) -> Result<(&'de str, bool), Error> {
        let start = self.pos;
        let digits = |de: &mut Self| {
            let from = de.pos;
            while de.bytes.get(de.pos).is_some_and(u8::is_ascii_digit) {
                de.pos += 1;
            }
            de.pos > from
        };
        if self.bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        if self.bytes.get(self.pos) == Some(&b'0') {
            // No leading zeros: "0" alone, or "0." / "0e".
            self.pos += 1;
            if self.bytes.get(self.pos).is_some_and(u8::is_ascii_digit) {
                return Err(self.error("invalid number"));
            }
        } else if !digits(self) {
            return Err(self.error("invalid number"));
        }
        let mut integer = true;
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            integer = false;
            if !digits(self) {
                return Err(self.error("invalid number"));
            }
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.pos) {
            self.pos += 1;
            integer = false;
            if let Some(b'+' | b'-') = self.bytes.get(self.pos) {
                self.pos += 1;
            }
            if !digits(self) {
                return Err(self.error("invalid number"));
            }
        }
        Ok((&self.text[start..self.pos], integer))
    }

    /// Skips any value, checking its structure (so a cut-off frame is still an error).
    fn skip_value(&mut self) -> Result<(), Error> {
        match self.peek()? {
            b'"' => self.skip_string(),
            b'{' => {
                self.enter()?;
                self.pos += 1;
                if self.peek()? == b'}' {
                    self.pos += 1;
                } else {
                    loop {
                        if self.peek()? != b'"' {
                            return Err(self.error("expected a key"));
                        }
                        self.skip_string()?;
                        if self.peek()? != b':' {
                            return Err(self.error("expected ':'"));
                        }
                        self.pos += 1;
                        self.skip_value()?;
                        match self.peek()? {
                            b',' => self.pos += 1,
                            b'}' => {
                                self.pos += 1;
                                break;
                            }
                            _ => return Err(self.error("expected ',' or '}'")),
                        }
                    }
                }
                self.depth -= 1;
                Ok(())
            }
            b'[' => {
                self.enter()?;
                self.pos += 1;
                if self.peek()? == b']' {
                    self.pos += 1;
                } else {
                    loop {
                        self.skip_value()?;
                        match self.peek()? {
                            b',' => self.pos += 1,
                            b']' => {
                                self.pos += 1;
                                break;
                            }
                            _ => return Err(self.error("expected ',' or ']'")),
                        }
                    }
                }
                self.depth -= 1;
                Ok(())
            }
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number_text().map(|_| ()),
            _ => Err(self.error("expected a JSON value")),
        }
    }
}

impl<'de> de::Deserializer<'de> for &mut Deserializer<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.peek()? {
            b'"' => match self.string()? {
                Str::Borrowed(text) => visitor.visit_borrowed_str(text),
                Str::Owned(text) => visitor.visit_string(text),
            },
            b'{' => {
                self.enter()?;
                self.pos += 1;
                let value = visitor.visit_map(Map { de: &mut *self, first: true })?;
                self.depth -= 1;
                Ok(value)
            }
            b'[' => {
                self.enter()?;
                self.pos += 1;
                let value = visitor.visit_seq(Seq { de: &mut *self, first: true })?;
                self.depth -= 1;
                Ok(value)
            }
            b't' => self.literal(b"true").and_then(|()| visitor.visit_bool(true)),
            b'f' => self.literal(b"false").and_then(|()| visitor.visit_bool(false)),
            b'n' => self.literal(b"null").and_then(|()| visitor.visit_unit()),
            b'-' | b'0'..=b'9' => {
                let (text, integer) = self.number_text()?;
                if integer {
                    if let Ok(n) = text.parse::<u64>() {
                        return visitor.visit_u64(n);
                    }
                    if let Ok(n) = text.parse::<i64>() {
                        return visitor.visit_i64(n);
                    }
                }
                match text.parse::<f64>() {
                    Ok(f) if f.is_finite() => visitor.visit_f64(f),
                    _ => Err(self.error("number out of range")),
                }
            }
            _ => Err(self.error("expected a JSON value")),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.peek()? == b'n' {
            self.literal(b"null")?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.skip_value()?;
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct enum identifier
    }
}

struct Map<'a, 'de> {
    de: &'a mut Deserializer<'de>,
    first: bool,
}

impl<'de> de::MapAccess<'de> for Map<'_, 'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        match self.de.peek()? {
            b'}' => {
                self.de.pos += 1;
                return Ok(None);
            }
            b',' if !self.first => {
                self.de.pos += 1;
                if self.de.peek()? != b'"' {
                    return Err(self.de.error("expected a key"));
                }
            }
            b'"' if self.first => {}
            _ => return Err(self.de.error(if self.first { "expected a key" } else { "expected ',' or '}'" })),
        }
        self.first = false;
        match self.de.string()? {
            Str::Borrowed(key) => seed.deserialize(BorrowedStrDeserializer::new(key)).map(Some),
            Str::Owned(key) => seed.deserialize(StringDeserializer::new(key)).map(Some),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        if self.de.peek()? != b':' {
            return Err(self.de.error("expected ':'"));
        }
        self.de.pos += 1;
        seed.deserialize(&mut *self.de)
    }
}

struct Seq<'a, 'de> {
    de: &'a mut Deserializer<'de>,
    first: bool,
}

impl<'de> de::SeqAccess<'de> for Seq<'_, 'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        match self.de.peek()? {
            b']' => {
                self.de.pos += 1;
                return Ok(None);
            }
            b',' if !self.first => self.de.pos += 1,
            _ if self.first => {}
            _ => return Err(self.de.error("expected ',' or ']'")),
        }
        self.first = false;
        seed.deserialize(&mut *self.de).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::Value;

    #[test]
    fn reads_what_serde_json_reads() {
        for text in [
            r#"{"a":[1,-2,3.5,1e3,true,false,null,"x\"y\\u00e9\ud83d\ude00"],"b":{},"c":[]}"#,
            " [ ] ",
            r#""\/\b\f\n\r\t""#,
            "18446744073709551615",
            "-9223372036854775808",
        ] {
            assert_eq!(from_str::<Value>(text).unwrap(), serde_json::from_str::<Value>(text).unwrap(), "{text}");
        }
    }

    #[test]
    fn rejects_what_is_not_json() {
        for text in ["", "{", "01", "-012", r#"{"a"}"#, r#"{"a":1,}"#, "[1,]", "[1 2]", "tru", "01x", "\"\u{1}\"", "\"abc", "{} {}", "-", "1.", "1e"] {
            assert!(from_str::<Value>(text).is_err(), "{text:?} was accepted");
            assert!(from_str::<serde::de::IgnoredAny>(text).is_err(), "{text:?} was skipped");
        }
        let deep = "[".repeat(1000) + &"]".repeat(1000);
        assert!(from_str::<serde::de::IgnoredAny>(&deep).unwrap_err().to_string().contains("nesting too deep"));
    }

    fn json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
            ".*".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 48, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::btree_map(".*", inner, 0..5).prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// Differential check against serde_json on any JSON value, compact or pretty.
        #[test]
        fn agrees_with_serde_json(value in json(), pretty in any::<bool>()) {
            let text = if pretty { serde_json::to_string_pretty(&value).unwrap() } else { value.to_string() };
            prop_assert_eq!(from_str::<Value>(&text).unwrap(), value);
            prop_assert!(from_str::<serde::de::IgnoredAny>(&text).is_ok());
        }

        /// Cut-off or corrupted JSON is refused, never a panic, whenever serde_json refuses it too.
        #[test]
        fn damaged_json_is_refused(value in json(), cut in any::<prop::sample::Index>(), junk in any::<u8>()) {
            let text = value.to_string();
            let mut bytes = text.into_bytes();
            let at = cut.index(bytes.len());
            bytes[at] = junk;
            if let Ok(damaged) = String::from_utf8(bytes) {
                // Only acceptance is compared: serde_json's default float parsing may differ in the last bit.
                let ours = from_str::<Value>(&damaged);
                let theirs = serde_json::from_str::<Value>(&damaged);
                prop_assert_eq!(ours.is_ok(), theirs.is_ok(), "{:?}", damaged);
            }
        }
    }
}
