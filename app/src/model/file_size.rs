//! File sizes as people read them, in the decimal units the size limit is set in.

/// "512 bytes", "820 KB", "1.2 MB".
pub fn format_size(bytes: i64) -> String {
    let b = bytes.max(0) as f64;
    if b < 1000.0 {
        format!("{bytes} bytes")
    } else if b < 1_000_000.0 {
        format!("{:.0} KB", b / 1000.0)
    } else {
        format!("{:.1} MB", b / 1_000_000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::format_size;

    #[test]
    fn sizes_read_in_decimal_units() {
        assert_eq!(format_size(512), "512 bytes");
        assert_eq!(format_size(820_400), "820 KB");
        assert_eq!(format_size(10_000_000), "10.0 MB");
        assert_eq!(format_size(1_260_000), "1.3 MB");
    }
}
