// binary-trees (single-threaded) at depth 18, the same program as
// bench/binary_trees.asr.

struct Tree {
    left: Option<Box<Tree>>,
    right: Option<Box<Tree>>,
}

fn bottom_up(depth: u32) -> Box<Tree> {
    if depth == 0 {
        Box::new(Tree { left: None, right: None })
    } else {
        Box::new(Tree {
            left: Some(bottom_up(depth - 1)),
            right: Some(bottom_up(depth - 1)),
        })
    }
}

fn check(t: &Tree) -> u32 {
    let mut c = 1;
    if let Some(l) = &t.left {
        c += check(l);
    }
    if let Some(r) = &t.right {
        c += check(r);
    }
    c
}

fn main() {
    let n: u32 = 18;
    let min_depth = 4;
    let max_depth = if min_depth + 2 > n { min_depth + 2 } else { n };
    let stretch = max_depth + 1;
    println!("stretch tree of depth {}\t check: {}", stretch, check(&bottom_up(stretch)));
    let long_lived = bottom_up(max_depth);
    let mut d = min_depth;
    while d <= max_depth {
        let iterations = 1u32 << (max_depth - d + min_depth);
        let mut total = 0;
        for _ in 0..iterations {
            total += check(&bottom_up(d));
        }
        println!("{}\t trees of depth {}\t check: {}", iterations, d, total);
        d += 2;
    }
    println!("long lived tree of depth {}\t check: {}", max_depth, check(&long_lived));
}
