//! Node positions for the interactive page, computed once when the page is written so that
//! the page opens at once, whatever the size of the graph.
//!
//! The layout is force-directed, after Fruchterman and Reingold (1991): every pair of nodes
//! pushes apart with a force `k²/d`, every link pulls its two ends together with `d²/k` (a
//! little more for links seen in many sentences), and a pull towards the centre growing with
//! the distance keeps the pieces of a disconnected graph together (with pushes of `1/d`, it
//! packs unlinked nodes into an evenly filled disc). Each step moves a node along the sum of
//! its forces, by at most a "temperature" that cools to nothing, so the drawing settles.
//!
//! Computing every pair's push is quadratic. As in Barnes and Hut (1986), the nodes are put in
//! a quadtree at each step, each square knowing how many nodes it holds and their centre, and
//! a square far enough away (its side less than `θ` times its distance) pushes as one node of
//! that weight. A step costs `O(n log n)`, and several thousand nodes lay out in about a
//! second.
//!
//! The result depends only on the graph: the starting positions come from the graph's own
//! order (a breadth-first walk from the best-connected nodes, placed on a sunflower spiral,
//! so that linked nodes start close), there is no randomness and no threading, and the
//! arithmetic is done in the same order every time.

/// Ideal distance between linked nodes, in the units of the positions returned.
pub const EDGE_LENGTH: f64 = 10.0;

/// Options of [`layout`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LayoutConfig {
    /// Number of steps. Fewer steps settle less well; the cost is linear in them.
    pub iterations: usize,
    /// Strength of the pull towards the centre, relative to the other forces.
    pub gravity: f64,
}

impl LayoutConfig {
    /// The configuration used for a graph of `nodes` nodes: more steps for small graphs,
    /// where they are cheap, fewer for large ones, where each step is costly.
    pub fn for_size(nodes: usize) -> LayoutConfig {
        let iterations = if nodes <= 500 {
            500
        } else if nodes <= 2000 {
            250
        } else {
            120
        };
        LayoutConfig {
            iterations,
            gravity: 1.0,
        }
    }
}

/// A link as the layout sees it: two node indices and a weight (number of sentences).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spring {
    /// One end.
    pub a: usize,
    /// The other end.
    pub b: usize,
    /// Number of sentences behind the link; heavier links pull a little harder.
    pub weight: u32,
}

/// Positions `[x, y]` for `nodes` nodes linked by `springs`, centred on the origin, with
/// linked nodes about [`EDGE_LENGTH`] apart.
pub fn layout(nodes: usize, springs: &[Spring], config: &LayoutConfig) -> Vec<[f64; 2]> {
    if nodes == 0 {
        return Vec::new();
    }
    let k = EDGE_LENGTH;
    let springs: Vec<(usize, usize, f64)> = springs
        .iter()
        .filter(|s| s.a != s.b && s.a < nodes && s.b < nodes)
        .map(|s| (s.a, s.b, pull(s.weight)))
        .collect();
    if nodes == 1 {
        return vec![[0.0, 0.0]];
    }
    let mut pos = initial_positions(nodes, &springs);
    let mut disp = vec![[0.0f64; 2]; nodes];
    let mut tree = Tree::default();
    let mut stack = Vec::new();
    // The first steps may move a node across much of the drawing; the last ones barely.
    let start_temperature = k * (nodes as f64).sqrt() * 0.1;
    let end_temperature = k * 0.01;
    let iterations = config.iterations.max(1);
    for step in 0..iterations {
        tree.build(&pos);
        for (i, d) in disp.iter_mut().enumerate() {
            *d = tree.push_on(i, &pos, k, &mut stack);
        }
        for &(a, b, strength) in &springs {
            let dx = pos[a][0] - pos[b][0];
            let dy = pos[a][1] - pos[b][1];
            let d = (dx * dx + dy * dy).sqrt();
            if d > 0.0 {
                // d²/k along the unit vector: (d/k) times the difference vector.
                let f = strength * d / k;
                disp[a][0] -= dx * f;
                disp[a][1] -= dy * f;
                disp[b][0] += dx * f;
                disp[b][1] += dy * f;
            }
        }
        let progress = step as f64 / iterations as f64;
        let temperature =
            end_temperature + (start_temperature - end_temperature) * (1.0 - progress).powi(2);
        for (p, d) in pos.iter_mut().zip(&disp) {
            // Gravity grows with the distance from the centre, like a spring of rest length 0.
            let gx = d[0] - config.gravity * p[0];
            let gy = d[1] - config.gravity * p[1];
            let len = (gx * gx + gy * gy).sqrt();
            if len > 0.0 {
                let moved = len.min(temperature);
                p[0] += gx / len * moved;
                p[1] += gy / len * moved;
            }
        }
    }
    let n = nodes as f64;
    let cx = pos.iter().map(|p| p[0]).sum::<f64>() / n;
    let cy = pos.iter().map(|p| p[1]).sum::<f64>() / n;
    for p in &mut pos {
        p[0] -= cx;
        p[1] -= cy;
    }
    pos
}

/// How much harder than a single sentence a link of `weight` sentences pulls: logarithmic,
/// so that a link seen a hundred times does not crush its ends together.
fn pull(weight: u32) -> f64 {
    1.0 + f64::from(weight.max(1)).ln() * 0.5
}

/// Starting positions: nodes in breadth-first order from the best-connected ones, placed
/// along a sunflower spiral (each at the golden angle from the last, at a radius growing
/// with the square root of its rank, which spreads them evenly over a disc). Linked nodes
/// thus start near each other, and unlinked nodes come last, on the rim.
fn initial_positions(nodes: usize, springs: &[(usize, usize, f64)]) -> Vec<[f64; 2]> {
    let mut degree = vec![0usize; nodes];
    for &(a, b, _) in springs {
        degree[a] += 1;
        degree[b] += 1;
    }
    // Adjacency in compressed rows.
    let mut first = vec![0usize; nodes + 1];
    for i in 0..nodes {
        first[i + 1] = first[i] + degree[i];
    }
    let mut next = first.clone();
    let mut adjacent = vec![0usize; first[nodes]];
    for &(a, b, _) in springs {
        adjacent[next[a]] = b;
        next[a] += 1;
        adjacent[next[b]] = a;
        next[b] += 1;
    }
    let mut by_degree: Vec<usize> = (0..nodes).collect();
    by_degree.sort_by(|&a, &b| degree[b].cmp(&degree[a]).then(a.cmp(&b)));
    let mut order = Vec::with_capacity(nodes);
    let mut seen = vec![false; nodes];
    for &root in &by_degree {
        if seen[root] {
            continue;
        }
        seen[root] = true;
        let mut head = order.len();
        order.push(root);
        while head < order.len() {
            let u = order[head];
            head += 1;
            for &v in &adjacent[first[u]..first[u + 1]] {
                if !seen[v] {
                    seen[v] = true;
                    order.push(v);
                }
            }
        }
    }
    let golden_angle = std::f64::consts::PI * (3.0 - 5.0f64.sqrt());
    let mut pos = vec![[0.0; 2]; nodes];
    for (rank, &node) in order.iter().enumerate() {
        let r = EDGE_LENGTH * (rank as f64 + 0.5).sqrt();
        let a = rank as f64 * golden_angle;
        pos[node] = [r * a.cos(), r * a.sin()];
    }
    pos
}

/// A Barnes–Hut quadtree over the node positions, rebuilt at each step: each square holds the
/// number of nodes in it and the sum of their positions, so that a far square pushes like
/// one node of that weight at their centre.
#[derive(Default)]
struct Tree {
    squares: Vec<Square>,
}

/// No node, or no child square.
const NONE: u32 = u32::MAX;
/// Squares are not split below this depth: nodes that close (or on the same spot) stay
/// together in one square and push as one.
const MAX_DEPTH: u32 = 24;
/// How far a square must be, relative to its side, to push as one: the Barnes–Hut θ. Larger
/// is faster and rougher.
const THETA: f64 = 1.2;

#[derive(Clone, Copy)]
struct Square {
    /// Centre and half the side.
    cx: f64,
    cy: f64,
    half: f64,
    /// Number of nodes inside, and the sum of their positions.
    mass: f64,
    sx: f64,
    sy: f64,
    /// The one node inside, while there is one and the square is not split.
    node: u32,
    /// First of the four child squares (the others follow it), or `NONE` for a leaf.
    children: u32,
    depth: u32,
}

impl Square {
    fn new(cx: f64, cy: f64, half: f64, depth: u32) -> Square {
        Square {
            cx,
            cy,
            half,
            mass: 0.0,
            sx: 0.0,
            sy: 0.0,
            node: NONE,
            children: NONE,
            depth,
        }
    }
}

impl Tree {
    fn build(&mut self, pos: &[[f64; 2]]) {
        let (mut lo, mut hi) = ([f64::MAX; 2], [f64::MIN; 2]);
        for p in pos {
            for i in 0..2 {
                lo[i] = lo[i].min(p[i]);
                hi[i] = hi[i].max(p[i]);
            }
        }
        let half = ((hi[0] - lo[0]).max(hi[1] - lo[1]) / 2.0).max(1.0) * 1.0001;
        self.squares.clear();
        self.squares.push(Square::new(
            (lo[0] + hi[0]) / 2.0,
            (lo[1] + hi[1]) / 2.0,
            half,
            0,
        ));
        for (i, p) in pos.iter().enumerate() {
            self.insert(i as u32, *p, pos);
        }
    }

    /// The child of square `q` that holds point `p`.
    fn child(&self, q: usize, p: [f64; 2]) -> usize {
        let s = &self.squares[q];
        let east = usize::from(p[0] >= s.cx);
        let south = usize::from(p[1] >= s.cy);
        s.children as usize + east + 2 * south
    }

    fn insert(&mut self, node: u32, p: [f64; 2], pos: &[[f64; 2]]) {
        let mut q = 0;
        loop {
            let s = &mut self.squares[q];
            let empty = s.mass == 0.0;
            s.mass += 1.0;
            s.sx += p[0];
            s.sy += p[1];
            if empty {
                s.node = node;
                return;
            }
            if s.children == NONE {
                if s.depth >= MAX_DEPTH {
                    // Too close to tell apart: they share the square and push as one.
                    s.node = NONE;
                    return;
                }
                // Split: the node already here moves down into its child.
                let (cx, cy, h, depth) = (s.cx, s.cy, s.half / 2.0, s.depth + 1);
                let resident = s.node;
                s.node = NONE;
                let first = self.squares.len() as u32;
                self.squares[q].children = first;
                for (dx, dy) in [(-h, -h), (h, -h), (-h, h), (h, h)] {
                    self.squares.push(Square::new(cx + dx, cy + dy, h, depth));
                }
                if resident != NONE {
                    let rp = pos[resident as usize];
                    let c = self.child(q, rp);
                    let r = &mut self.squares[c];
                    r.mass = 1.0;
                    r.sx = rp[0];
                    r.sy = rp[1];
                    r.node = resident;
                }
            }
            q = self.child(q, p);
        }
    }

    /// The push `k²/d` of every other node on node `i`, far squares taken as one.
    fn push_on(&self, i: usize, pos: &[[f64; 2]], k: f64, stack: &mut Vec<u32>) -> [f64; 2] {
        let k2 = k * k;
        let [x, y] = pos[i];
        let mut force = [0.0, 0.0];
        stack.clear();
        stack.push(0);
        while let Some(q) = stack.pop() {
            let s = &self.squares[q as usize];
            if s.mass == 0.0 || s.node == i as u32 {
                continue;
            }
            let (mx, my) = (s.sx / s.mass, s.sy / s.mass);
            let (dx, dy) = (x - mx, y - my);
            let d2 = dx * dx + dy * dy;
            let side = 2.0 * s.half;
            if s.children == NONE || side * side < THETA * THETA * d2 {
                let mut mass = s.mass;
                if s.children == NONE && s.node == NONE {
                    // A square of nodes too close to split, perhaps with `i` among them.
                    let inside = (x - s.cx).abs() <= s.half && (y - s.cy).abs() <= s.half;
                    if inside {
                        mass -= 1.0;
                    }
                }
                if mass <= 0.0 {
                    continue;
                }
                if d2 < 1e-9 {
                    // On the same spot: part along a direction of the node's own.
                    let (sin, cos) = (i as f64).sin_cos();
                    force[0] += cos * k * mass;
                    force[1] += sin * k * mass;
                    continue;
                }
                // k²/d along the unit vector: (k²/d²) times the difference vector.
                let f = mass * k2 / d2;
                force[0] += dx * f;
                force[1] += dy * f;
            } else {
                for c in 0..4 {
                    stack.push(s.children + c);
                }
            }
        }
        force
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spring(a: usize, b: usize) -> Spring {
        Spring { a, b, weight: 1 }
    }

    fn distance(p: &[[f64; 2]], a: usize, b: usize) -> f64 {
        ((p[a][0] - p[b][0]).powi(2) + (p[a][1] - p[b][1]).powi(2)).sqrt()
    }

    /// Two triangles joined by one link, and a node on its own.
    fn two_triangles() -> Vec<Spring> {
        vec![
            spring(0, 1),
            spring(1, 2),
            spring(2, 0),
            spring(3, 4),
            spring(4, 5),
            spring(5, 3),
            spring(2, 3),
        ]
    }

    #[test]
    fn the_same_graph_gets_the_same_layout() {
        let config = LayoutConfig::for_size(7);
        let a = layout(7, &two_triangles(), &config);
        let b = layout(7, &two_triangles(), &config);
        assert_eq!(a, b);
        assert!(a.iter().all(|p| p[0].is_finite() && p[1].is_finite()));
    }

    #[test]
    fn linked_nodes_end_closer_than_unlinked_ones() {
        let p = layout(7, &two_triangles(), &LayoutConfig::for_size(7));
        for (a, b) in [(0, 1), (1, 2), (3, 4), (2, 3)] {
            let d = distance(&p, a, b);
            assert!(
                d > EDGE_LENGTH * 0.3 && d < EDGE_LENGTH * 2.0,
                "{a}-{b}: {d}"
            );
        }
        assert!(distance(&p, 0, 5) > distance(&p, 0, 1));
        // Nothing sits on top of anything else.
        for a in 0..7 {
            for b in a + 1..7 {
                assert!(distance(&p, a, b) > EDGE_LENGTH * 0.3, "{a}-{b}");
            }
        }
    }

    #[test]
    fn degenerate_graphs() {
        let config = LayoutConfig::for_size(1);
        assert!(layout(0, &[], &config).is_empty());
        assert_eq!(layout(1, &[spring(0, 0)], &config), [[0.0, 0.0]]);
        // Links to nodes that do not exist are ignored.
        let p = layout(2, &[spring(0, 5)], &config);
        assert!(distance(&p, 0, 1) > 0.0);
    }

    #[test]
    fn a_large_sparse_graph_is_spread_out() {
        // A ring of stars: 3000 nodes, each hub linked to the next.
        let hubs = 100;
        let n = hubs * 30;
        let mut springs = Vec::new();
        for h in 0..hubs {
            let hub = h * 30;
            springs.push(spring(hub, ((h + 1) % hubs) * 30));
            for leaf in 1..30 {
                springs.push(spring(hub, hub + leaf));
            }
        }
        let p = layout(n, &springs, &LayoutConfig::for_size(n));
        // Almost every leaf is nearer its own hub than any other hub, and linked nodes are
        // much closer than nodes across the ring.
        let hub_of = |leaf: usize| {
            (0..hubs)
                .map(|h| h * 30)
                .min_by(|&a, &b| distance(&p, leaf, a).total_cmp(&distance(&p, leaf, b)))
                .unwrap()
        };
        let leaves = (0..n).filter(|i| i % 30 != 0);
        let home = leaves.clone().filter(|&i| hub_of(i) == i / 30 * 30).count();
        assert!(
            home * 10 >= leaves.count() * 9,
            "{home} leaves nearest their hub"
        );
        let leaf =
            springs.iter().map(|s| distance(&p, s.a, s.b)).sum::<f64>() / springs.len() as f64;
        let across = (0..hubs)
            .map(|h| distance(&p, h * 30, ((h + hubs / 2) % hubs) * 30))
            .sum::<f64>()
            / hubs as f64;
        assert!(across > 5.0 * leaf, "{across} vs {leaf}");
    }
}
