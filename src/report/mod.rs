pub mod compare;
pub mod review;
