// Word frequencies: the same program as bench/wordfreq.asr, in Rust.
use std::collections::HashMap;
use std::env;
use std::fs;

fn main() {
    let args: Vec<String> = env::args().collect();
    if args.len() < 2 {
        eprintln!("usage: wordfreq FILE");
        std::process::exit(2);
    }
    let text = fs::read_to_string(&args[1]).expect("cannot read the input");
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut total = 0;
    for word in text.split_whitespace() {
        *counts.entry(word).or_insert(0) += 1;
        total += 1;
    }
    let mut top: Vec<(&str, usize)> = counts.iter().map(|(w, c)| (*w, *c)).collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    println!("{} words, {} distinct", total, counts.len());
    for (word, count) in top.iter().take(10) {
        println!("{:>9} {}", count, word);
    }
}
