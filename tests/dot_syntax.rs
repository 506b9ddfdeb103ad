//! A structural check of DOT text, shared by the property tests and the `export` fuzz target
//! (Graphviz itself parses the seed graph's DOT in the interop tests).

/// True when every quoted string and HTML label closes on its line and braces balance
/// outside strings and HTML labels.
pub fn dot_is_balanced(dot: &str) -> bool {
    let mut depth = 0i32;
    for line in dot.lines() {
        let (mut in_string, mut escaped, mut html) = (false, false, 0i32);
        for c in line.chars() {
            if in_string {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' if html == 0 => in_string = true,
                '<' => html += 1,
                '>' => html -= 1,
                '{' if html == 0 => depth += 1,
                '}' if html == 0 => depth -= 1,
                _ => {}
            }
        }
        if in_string || html != 0 {
            return false;
        }
    }
    depth == 0
}
