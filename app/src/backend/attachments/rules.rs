//! What an uploaded file really is: its type read from its first bytes and checked against
//! its name, a safe version of its name, and how it may be served.

/// The kinds of file Pigeon accepts, by content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Png,
    Jpeg,
    Gif,
    Webp,
    Pdf,
    /// UTF-8 text without markup (txt, csv).
    Text,
    /// Zip containers: zip, docx, xlsx.
    Zip,
    /// Old Office documents (OLE2): doc, xls.
    Ole,
}

impl FileKind {
    /// What people call this kind, for error messages.
    pub fn describe(self) -> &'static str {
        match self {
            FileKind::Png => "a PNG image",
            FileKind::Jpeg => "a JPEG image",
            FileKind::Gif => "a GIF image",
            FileKind::Webp => "a WebP image",
            FileKind::Pdf => "a PDF document",
            FileKind::Text => "plain text",
            FileKind::Zip => "a zip-based file",
            FileKind::Ole => "an Office document",
        }
    }
}

/// Whether a stored file's `Content-Type` is one of the raster images shown inline (and as
/// thumbnails); everything else is served as a download.
pub fn is_inline_image_type(content_type: &str) -> bool {
    matches!(
        content_type,
        "image/png" | "image/jpeg" | "image/gif" | "image/webp"
    )
}

/// The kind a file name's extension promises, if Pigeon knows it.
pub fn kind_of_extension(ext: &str) -> Option<FileKind> {
    Some(match ext.to_ascii_lowercase().as_str() {
        "png" => FileKind::Png,
        "jpg" | "jpeg" => FileKind::Jpeg,
        "gif" => FileKind::Gif,
        "webp" => FileKind::Webp,
        "pdf" => FileKind::Pdf,
        "txt" | "csv" => FileKind::Text,
        "zip" | "docx" | "xlsx" => FileKind::Zip,
        "doc" | "xls" => FileKind::Ole,
        _ => return None,
    })
}

/// The `Content-Type` a stored file is served with, by its extension and checked kind.
pub fn content_type(ext: &str, kind: FileKind) -> &'static str {
    match (ext.to_ascii_lowercase().as_str(), kind) {
        (_, FileKind::Png) => "image/png",
        (_, FileKind::Jpeg) => "image/jpeg",
        (_, FileKind::Gif) => "image/gif",
        (_, FileKind::Webp) => "image/webp",
        (_, FileKind::Pdf) => "application/pdf",
        ("csv", FileKind::Text) => "text/csv; charset=utf-8",
        (_, FileKind::Text) => "text/plain; charset=utf-8",
        ("docx", FileKind::Zip) => {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        }
        ("xlsx", FileKind::Zip) => {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
        (_, FileKind::Zip) => "application/zip",
        ("xls", FileKind::Ole) => "application/vnd.ms-excel",
        (_, FileKind::Ole) => "application/msword",
    }
}

/// Reads the kind of a file from its first bytes (a few kilobytes are enough). Markup —
/// HTML, SVG, XML, scripts — is never text here, whatever the file is called.
pub fn sniff(head: &[u8]) -> Option<FileKind> {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
    const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    if head.starts_with(PNG) {
        return Some(FileKind::Png);
    }
    if head.starts_with(b"\xFF\xD8\xFF") {
        return Some(FileKind::Jpeg);
    }
    if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        return Some(FileKind::Gif);
    }
    if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        return Some(FileKind::Webp);
    }
    if head.starts_with(b"%PDF-") {
        return Some(FileKind::Pdf);
    }
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return Some(FileKind::Zip);
    }
    if head.starts_with(OLE) {
        return Some(FileKind::Ole);
    }
    is_plain_text(head).then_some(FileKind::Text)
}

/// UTF-8 (a character cut at the end is fine), no NUL or other binary controls, and no
/// markup a browser could run or render.
fn is_plain_text(head: &[u8]) -> bool {
    let text = match std::str::from_utf8(head) {
        Ok(t) => t,
        Err(e) if e.error_len().is_none() => {
            // Only an incomplete character at the very end.
            std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or("")
        }
        Err(_) => return false,
    };
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
    {
        return false;
    }
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('<') {
        return false;
    }
    let lower = text.to_lowercase();
    const MARKUP: [&str; 8] = [
        "<script",
        "<svg",
        "<html",
        "<!doctype",
        "<iframe",
        "<?xml",
        "<body",
        "javascript:",
    ];
    !MARKUP.iter().any(|m| lower.contains(m))
}

/// Most characters kept of a file name.
pub const NAME_MAX: usize = 120;

/// A file name fit to show and to send back: no folders, no control or reserved characters,
/// no leading dots, at most `NAME_MAX` characters with the extension kept.
pub fn clean_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    // Bidirectional controls would let "invoice\u{202e}fdp.txt" show as "invoicetxt.pdf".
    let base = crate::backend::validate::plain_line(base);
    let cleaned: String = base
        .chars()
        .map(|c| {
            if c.is_control() || "\"<>:|?*".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim().to_string();
    let cleaned = if cleaned.is_empty() {
        "file".to_string()
    } else {
        cleaned
    };
    if cleaned.chars().count() <= NAME_MAX {
        return cleaned;
    }
    let (stem, ext) = match cleaned.rsplit_once('.') {
        Some((s, e)) if e.chars().count() <= 10 => (s.to_string(), format!(".{e}")),
        _ => (cleaned.clone(), String::new()),
    };
    let keep = NAME_MAX - ext.chars().count();
    format!("{}{ext}", stem.chars().take(keep).collect::<String>())
}

/// The extension of a (clean) file name, lower-case, or "".
pub fn extension(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

/// A `Content-Disposition` value safe for any name (RFC 6266 with an RFC 5987 UTF-8 name
/// and a plain ASCII fallback).
pub fn content_disposition(inline: bool, name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' && c != '%' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    let kind = if inline { "inline" } else { "attachment" };
    format!("{kind}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_known_by_their_bytes() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some(FileKind::Png));
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0"), Some(FileKind::Jpeg));
        assert_eq!(sniff(b"GIF89a.."), Some(FileKind::Gif));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Some(FileKind::Webp));
        assert_eq!(sniff(b"%PDF-1.7\n"), Some(FileKind::Pdf));
        assert_eq!(sniff(b"PK\x03\x04\x14\0"), Some(FileKind::Zip));
        assert_eq!(sniff(b"name,qty\nbolt,4\n"), Some(FileKind::Text));
        assert_eq!(sniff("caf\u{e9} ".as_bytes()), Some(FileKind::Text));
        // A multi-byte character cut by the sniffing window is still text.
        assert_eq!(sniff(&"é".as_bytes()[..1]), Some(FileKind::Text));
    }

    #[test]
    fn markup_is_never_text_even_renamed() {
        for evil in [
            &b"<html><script>alert(1)</script>"[..],
            b"  <svg xmlns='http://www.w3.org/2000/svg' onload='x()'/>",
            b"\xEF\xBB\xBF<!DOCTYPE html>",
            b"hello <script>alert(1)</script>",
            b"<?xml version='1.0'?><svg/>",
            b"binary\x00data",
            b"\xFF\xFE\x00h",
        ] {
            assert_eq!(sniff(evil), None, "{:?}", String::from_utf8_lossy(evil));
        }
    }

    #[test]
    fn names_are_cleaned_and_served_safely() {
        assert_eq!(clean_name("C:\\Users\\a\\report.pdf"), "report.pdf");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name(".htaccess"), "htaccess");
        assert_eq!(clean_name("a\r\nb\"c.txt"), "a__b_c.txt");
        assert_eq!(clean_name("   "), "file");
        assert_eq!(clean_name("invoice\u{202e}fdp.txt"), "invoicefdp.txt");
        assert_eq!(clean_name("\u{2067}cv\u{2069}.pdf"), "cv.pdf");
        let long = format!("{}.pdf", "x".repeat(300));
        let cut = clean_name(&long);
        assert_eq!(cut.chars().count(), NAME_MAX);
        assert!(cut.ends_with(".pdf"));
        assert_eq!(extension("Photo.JPG"), "jpg");
        assert_eq!(extension("noext"), "");
        assert_eq!(kind_of_extension("JPEG"), Some(FileKind::Jpeg));
        assert_eq!(kind_of_extension("svg"), None);
        assert_eq!(
            content_disposition(false, "rapport d\u{e9}t\u{e9} \"1\".pdf"),
            "attachment; filename=\"rapport d_t_ _1_.pdf\"; \
             filename*=UTF-8''rapport%20d%C3%A9t%C3%A9%20%221%22.pdf"
        );
        assert!(content_disposition(true, "a.png").starts_with("inline;"));
    }
}
