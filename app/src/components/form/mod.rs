//! Form parts that work with and without JavaScript.
pub mod field;
pub mod form_error;
pub mod text_area;
