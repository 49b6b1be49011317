//! `cchc figures [TEXT]` — figures of a snippet as JSON lines (figures.parquet field names).

use anyhow::Result;
use clap::Args;
use std::io::Read;

use crate::ingest::text::from_text;
use crate::pipeline::extract;

#[derive(Args, Debug)]
pub struct FiguresArgs {
    /// The text; read from standard input when absent.
    pub text: Option<String>,
}

pub fn run(args: FiguresArgs) -> Result<i32> {
    let text = match args.text {
        Some(t) => t,
        None => {
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s)?;
            s
        }
    };
    let ing = from_text(&text);
    let e = extract("-", "snippet", text.len(), &ing);
    for f in &e.figures {
        println!("{}", serde_json::to_string(f)?);
    }
    Ok(super::EXIT_OK)
}
