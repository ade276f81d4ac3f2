//! Form parts that work with and without JavaScript.
pub mod account_fields;
pub mod field;
pub mod file_field;
pub mod form_error;
pub mod text_area;
pub mod upload_form;
