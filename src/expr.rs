//! Arithmetic expressions of named parameters (afgeleide parameters): the
//! strings a scenario writes where a number is expected, such as
//! `"1 - exp(-r_HD * hr_S1)"` or `"c_soc + 12000"`.
//!
//! Published decision models (heemod, hesim, dampack, the DARTH tutorials,
//! Briggs, Claxton & Sculpher 2006) define many inputs as functions of others:
//! a probability from a rate, a treatment cost as the usual cost plus a
//! supplement. Writing them as expressions, evaluated once per draw from that
//! draw's samples, keeps the correlation between the inputs and what they
//! derive (the uncertainty propagates) instead of sampling both apart.
//!
//! # Grammar
//!
//! ```text
//! expr    := term (("+" | "-") term)*
//! term    := unary (("*" | "/") unary)*
//! unary   := ("-" | "+") unary | power
//! power   := atom ("^" unary)?          right-associative: 2^3^2 = 2^9
//! atom    := number | name | name "(" expr ("," expr)* ")" | "(" expr ")"
//! number  := digits ["." digits] [("e" | "E") ["+" | "-"] digits]   (also ".5")
//! name    := (letter | "_") (letter | digit | "_")*
//! ```
//!
//! `^` binds tighter than unary minus, as in mathematics: `-2^2` is −4 and
//! `2^-1` is 0.5. Whitespace is free between tokens.
//!
//! # Functions
//!
//! | function | value |
//! |---|---|
//! | `exp(x)`, `ln(x)`, `log(x)` | eˣ, natural logarithm (`log` is `ln`) |
//! | `log10(x)`, `sqrt(x)`, `abs(x)` | base-10 logarithm, square root, absolute value |
//! | `min(a, b, …)`, `max(a, b, …)` | smallest / largest of one or more arguments |
//! | `pow(x, y)` | xʸ (the same as `x ^ y`) |
//! | `rate_to_prob(r[, t])` | 1 − exp(−r·t), t = 1 when omitted |
//! | `prob_to_rate(p[, t])` | −ln(1 − p) / t, t = 1 when omitted |
//! | `prob_to_odds(p)` | p / (1 − p) |
//! | `odds_to_prob(o)` | o / (1 + o) |
//!
//! Evaluation follows IEEE 754: `ln(-1)` or `1/0` give NaN or infinity, which
//! the caller reports (a derived parameter outside its field's domain in a
//! draw stops the run); an expression never clamps silently.
//!
//! # Reserved variables
//!
//! [`RESERVED`] names are bound by the context of the field, never by
//! `[parameters]` (a parameter may not be named one of them):
//! `cycle` (the model cycle index t = 0, 1, …), `year` (its calendar year)
//! and `age` (the age a matrix is looked up at) in transition matrix rows;
//! `years_in_state` (the year in a tunnel state, 1-based) in the rows of
//! tunnel years. A consumer expands an expression that uses one into one
//! derived value per binding, with [`Expr::bind`].

use std::collections::HashMap;
use std::fmt;

/// Variables bound by the context of a field, not by `[parameters]`; a
/// parameter may not be named one of them.
pub const RESERVED: [&str; 4] = ["age", "cycle", "year", "years_in_state"];

/// True when `name` is one of the [`RESERVED`] context variables.
pub fn is_reserved(name: &str) -> bool {
    RESERVED.contains(&name)
}

/// The functions an expression may call, in the order the documentation lists them.
pub const FUNCTIONS: [&str; 13] = [
    "exp",
    "ln",
    "log",
    "log10",
    "sqrt",
    "abs",
    "min",
    "max",
    "pow",
    "rate_to_prob",
    "prob_to_rate",
    "prob_to_odds",
    "odds_to_prob",
];

/// True when `s` is a single name (identifier) as an expression reads one:
/// a letter or `_`, then letters, digits or `_`. Such a string in a value
/// position means a parameter, not an expression.
pub fn is_name(s: &str) -> bool {
    let mut cs = s.chars();
    matches!(cs.next(), Some(c) if is_name_start(c)) && cs.all(is_name_char)
}

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// A syntax error, or a name without a value at evaluation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct ExprError {
    /// 0-based offset, in characters (not bytes), of the offending character
    /// in the source string; the string's length for "unexpected end".
    pub offset: usize,
    /// What is wrong, e.g. "unknown function `expp`" or "expected `)`".
    pub reason: String,
}

impl ExprError {
    fn new(offset: usize, reason: impl Into<String>) -> Self {
        ExprError { offset, reason: reason.into() }
    }
}

/// A built-in function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Func {
    Exp,
    Ln,
    Log10,
    Sqrt,
    Abs,
    Min,
    Max,
    Pow,
    RateToProb,
    ProbToRate,
    ProbToOdds,
    OddsToProb,
}

impl Func {
    fn from_name(s: &str) -> Option<Func> {
        Some(match s {
            "exp" => Func::Exp,
            "ln" | "log" => Func::Ln,
            "log10" => Func::Log10,
            "sqrt" => Func::Sqrt,
            "abs" => Func::Abs,
            "min" => Func::Min,
            "max" => Func::Max,
            "pow" => Func::Pow,
            "rate_to_prob" => Func::RateToProb,
            "prob_to_rate" => Func::ProbToRate,
            "prob_to_odds" => Func::ProbToOdds,
            "odds_to_prob" => Func::OddsToProb,
            _ => return None,
        })
    }

    /// Least and most arguments.
    fn arity(self) -> (usize, usize) {
        match self {
            Func::Min | Func::Max => (1, usize::MAX),
            Func::Pow => (2, 2),
            Func::RateToProb | Func::ProbToRate => (1, 2),
            _ => (1, 1),
        }
    }

    fn arity_text(self) -> &'static str {
        match self {
            Func::Min | Func::Max => "one or more arguments",
            Func::Pow => "2 arguments (x, y)",
            Func::RateToProb => "1 or 2 arguments (rate[, time])",
            Func::ProbToRate => "1 or 2 arguments (probability[, time])",
            _ => "1 argument",
        }
    }

    fn apply(self, a: &[f64]) -> f64 {
        match self {
            Func::Exp => a[0].exp(),
            Func::Ln => a[0].ln(),
            Func::Log10 => a[0].log10(),
            Func::Sqrt => a[0].sqrt(),
            Func::Abs => a[0].abs(),
            // NaN-propagating, unlike f64::min/max (which drop a NaN argument).
            Func::Min => a.iter().copied().fold(f64::INFINITY, |m, x| if x.is_nan() || x < m { x } else { m }),
            Func::Max => a.iter().copied().fold(f64::NEG_INFINITY, |m, x| if x.is_nan() || x > m { x } else { m }),
            Func::Pow => a[0].powf(a[1]),
            Func::RateToProb => {
                let t = a.get(1).copied().unwrap_or(1.0);
                -(-a[0] * t).exp_m1()
            }
            Func::ProbToRate => {
                let t = a.get(1).copied().unwrap_or(1.0);
                -(-a[0]).ln_1p() / t
            }
            Func::ProbToOdds => a[0] / (1.0 - a[0]),
            Func::OddsToProb => a[0] / (1.0 + a[0]),
        }
    }
}

/// A binary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
}

impl Op {
    fn apply(self, a: f64, b: f64) -> f64 {
        match self {
            Op::Add => a + b,
            Op::Sub => a - b,
            Op::Mul => a * b,
            Op::Div => a / b,
            Op::Pow => a.powf(b),
        }
    }
    fn symbol(self) -> &'static str {
        match self {
            Op::Add => "+",
            Op::Sub => "-",
            Op::Mul => "*",
            Op::Div => "/",
            Op::Pow => "^",
        }
    }
}

/// An expression tree whose leaves are of type `L` (a name while parsed, a
/// slot once compiled).
#[derive(Debug, Clone, PartialEq)]
enum Node<L> {
    Num(f64),
    Leaf(L),
    Neg(Box<Node<L>>),
    Bin(Op, Box<Node<L>>, Box<Node<L>>),
    Call(Func, Vec<Node<L>>),
}

impl<L> Node<L> {
    fn eval<E>(&self, leaf: &mut impl FnMut(&L) -> Result<f64, E>) -> Result<f64, E> {
        Ok(match self {
            Node::Num(x) => *x,
            Node::Leaf(l) => leaf(l)?,
            Node::Neg(a) => -a.eval(leaf)?,
            Node::Bin(op, a, b) => {
                let x = a.eval(leaf)?;
                op.apply(x, b.eval(leaf)?)
            }
            Node::Call(f, args) => {
                let mut xs = Vec::with_capacity(args.len());
                for a in args {
                    xs.push(a.eval(leaf)?);
                }
                f.apply(&xs)
            }
        })
    }

    /// The same tree with every leaf mapped by `m` to a number or a new leaf;
    /// subtrees that become numbers only are folded (computed with the same
    /// operations in the same order, so the value is bit for bit the same).
    fn map<M, E>(&self, m: &mut impl FnMut(&L) -> Result<Node<M>, E>) -> Result<Node<M>, E> {
        let out = match self {
            Node::Num(x) => Node::Num(*x),
            Node::Leaf(l) => m(l)?,
            Node::Neg(a) => Node::Neg(Box::new(a.map(m)?)),
            Node::Bin(op, a, b) => Node::Bin(*op, Box::new(a.map(m)?), Box::new(b.map(m)?)),
            Node::Call(f, args) => Node::Call(*f, args.iter().map(|a| a.map(m)).collect::<Result<_, E>>()?),
        };
        Ok(out.fold())
    }

    /// Fold a node whose children are all numbers into a number.
    fn fold(self) -> Self {
        let num = |n: &Node<L>| matches!(n, Node::Num(_));
        let constant = match &self {
            Node::Neg(a) => num(a),
            Node::Bin(_, a, b) => num(a) && num(b),
            Node::Call(_, args) => args.iter().all(num),
            _ => false,
        };
        if constant {
            let x = self.eval::<()>(&mut |_| unreachable!("a constant node has no leaves")).unwrap_or(f64::NAN);
            Node::Num(x)
        } else {
            self
        }
    }

    fn leaves<'a>(&'a self, out: &mut Vec<&'a L>) {
        match self {
            Node::Num(_) => {}
            Node::Leaf(l) => out.push(l),
            Node::Neg(a) => a.leaves(out),
            Node::Bin(_, a, b) => {
                a.leaves(out);
                b.leaves(out);
            }
            Node::Call(_, args) => args.iter().for_each(|a| a.leaves(out)),
        }
    }
}

/// A name as written in an expression, with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameRef {
    /// The name.
    pub name: String,
    /// 0-based offset in characters of its first character in the source.
    pub offset: usize,
}

/// A parsed expression, with the source string it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    src: String,
    root: Node<NameRef>,
}

impl Expr {
    /// Parse `src` by the grammar of the module documentation.
    pub fn parse(src: &str) -> Result<Expr, ExprError> {
        let tokens = lex(src)?;
        let mut p = Parser { tokens, pos: 0, end: src.chars().count() };
        let root = p.expr()?;
        if let Some(t) = p.peek() {
            let what = match &t.tok {
                Tok::LParen => "`(`: an operator is missing before it".to_string(),
                Tok::RParen => "`)` without a matching `(`".to_string(),
                Tok::Comma => "`,` outside a function call".to_string(),
                Tok::Num(_) | Tok::Name(_) => format!("{}: an operator is missing before it", t.tok),
                Tok::Op(_) => format!("{}", t.tok),
            };
            return Err(ExprError::new(t.offset, format!("unexpected {what}")));
        }
        Ok(Expr { src: src.to_string(), root })
    }

    /// The source string as written.
    pub fn source(&self) -> &str {
        &self.src
    }

    /// Every name the expression references, in order of first appearance,
    /// each once.
    pub fn names(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for r in self.refs() {
            if !out.contains(&r.name.as_str()) {
                out.push(&r.name);
            }
        }
        out
    }

    /// Every occurrence of a name, in source order, with its position (for
    /// an error at the name, e.g. an unknown parameter).
    pub fn refs(&self) -> Vec<&NameRef> {
        let mut out = Vec::new();
        self.root.leaves(&mut out);
        out
    }

    /// True when the expression references no names: it is a number.
    pub fn constant(&self) -> Option<f64> {
        match self.root {
            Node::Num(x) => Some(x),
            _ => None,
        }
    }

    /// Evaluate, asking `lookup` for the value of each name; a name it has
    /// no value for is an error at that name.
    pub fn eval(&self, mut lookup: impl FnMut(&str) -> Option<f64>) -> Result<f64, ExprError> {
        self.root.eval(&mut |r: &NameRef| {
            lookup(&r.name).ok_or_else(|| ExprError::new(r.offset, format!("`{}` has no value here", r.name)))
        })
    }

    /// [`Self::eval`] with the values in a map.
    pub fn eval_map(&self, vars: &HashMap<&str, f64>) -> Result<f64, ExprError> {
        self.eval(|n| vars.get(n).copied())
    }

    /// The expression with the names in `vars` replaced by their values (e.g.
    /// `years_in_state` = 2), constant parts folded; other names stay. The
    /// source string is kept. Used to expand an expression that uses a
    /// [`RESERVED`] variable into one expression per binding.
    pub fn bind(&self, vars: &HashMap<&str, f64>) -> Expr {
        let root = self
            .root
            .map::<NameRef, ()>(&mut |r| {
                Ok(match vars.get(r.name.as_str()) {
                    Some(x) => Node::Num(*x),
                    None => Node::Leaf(r.clone()),
                })
            })
            .unwrap_or_else(|()| unreachable!("binding never fails"));
        Expr { src: self.src.clone(), root }
    }

    /// Resolve every name to a slot of the per-draw parameter vector (or to
    /// a fixed number) with `resolve`, which gets the name and its position
    /// and may refuse it with its own error type.
    pub fn compile<E>(&self, mut resolve: impl FnMut(&NameRef) -> Result<Operand, E>) -> Result<CompiledExpr, E> {
        let root = self.root.map(&mut |r| {
            Ok(match resolve(r)? {
                Operand::Fixed(x) => Node::Num(x),
                Operand::Slot(s) => Node::Leaf(s),
            })
        })?;
        Ok(CompiledExpr { root })
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.src)
    }
}

/// What a name resolves to when compiling.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Operand {
    /// A number, the same in every draw.
    Fixed(f64),
    /// A slot of the per-draw parameter vector.
    Slot(usize),
}

/// An expression whose names are slots of the per-draw parameter vector:
/// evaluated once per draw, after the slots it reads are set.
#[derive(Debug, Clone, PartialEq)]
pub struct CompiledExpr {
    root: Node<usize>,
}

impl CompiledExpr {
    /// The value in the draw with parameter vector `draw`.
    pub fn eval(&self, draw: &[f64]) -> f64 {
        let r: Result<f64, ()> = self.root.eval(&mut |&s| Ok(draw[s]));
        r.unwrap_or(f64::NAN)
    }

    /// The slots the expression reads, each once, in order of first appearance.
    pub fn inputs(&self) -> Vec<usize> {
        let mut all = Vec::new();
        self.root.leaves(&mut all);
        let mut out: Vec<usize> = Vec::new();
        for &s in all {
            if !out.contains(&s) {
                out.push(s);
            }
        }
        out
    }

    /// The value when the expression reads no slots (it folded to a number).
    pub fn constant(&self) -> Option<f64> {
        match self.root {
            Node::Num(x) => Some(x),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------- lexer

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Name(String),
    Op(char),
    LParen,
    RParen,
    Comma,
}

impl fmt::Display for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tok::Num(x) => write!(f, "number {x}"),
            Tok::Name(n) => write!(f, "name `{n}`"),
            Tok::Op(c) => write!(f, "`{c}`"),
            Tok::LParen => f.write_str("`(`"),
            Tok::RParen => f.write_str("`)`"),
            Tok::Comma => f.write_str("`,`"),
        }
    }
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    /// Character offset of the token's first character.
    offset: usize,
}

fn lex(src: &str) -> Result<Vec<Token>, ExprError> {
    let cs: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        let start = i;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let tok = if c.is_ascii_digit() || (c == '.' && cs.get(i + 1).is_some_and(|d| d.is_ascii_digit())) {
            while i < cs.len() && cs[i].is_ascii_digit() {
                i += 1;
            }
            if i < cs.len() && cs[i] == '.' {
                i += 1;
                while i < cs.len() && cs[i].is_ascii_digit() {
                    i += 1;
                }
            }
            if i < cs.len() && (cs[i] == 'e' || cs[i] == 'E') {
                let e = i;
                i += 1;
                if i < cs.len() && (cs[i] == '+' || cs[i] == '-') {
                    i += 1;
                }
                if !(i < cs.len() && cs[i].is_ascii_digit()) {
                    return Err(ExprError::new(e, "a number's exponent needs digits (e.g. 1e-3)"));
                }
                while i < cs.len() && cs[i].is_ascii_digit() {
                    i += 1;
                }
            }
            if i < cs.len() && (is_name_char(cs[i]) || cs[i] == '.') {
                return Err(ExprError::new(i, format!("unexpected `{}` in a number", cs[i])));
            }
            let text: String = cs[start..i].iter().collect();
            let x: f64 = text.parse().map_err(|_| ExprError::new(start, format!("`{text}` is not a number")))?;
            Tok::Num(x)
        } else if is_name_start(c) {
            while i < cs.len() && is_name_char(cs[i]) {
                i += 1;
            }
            Tok::Name(cs[start..i].iter().collect())
        } else {
            i += 1;
            match c {
                '+' | '-' | '*' | '/' | '^' => Tok::Op(c),
                '(' => Tok::LParen,
                ')' => Tok::RParen,
                ',' => Tok::Comma,
                _ => {
                    let hint = match c {
                        '=' | '<' | '>' | '!' | '&' | '|' => "; comparisons and logic are not supported",
                        '[' | ']' | '{' | '}' => "; use ( and ) for grouping",
                        _ => "",
                    };
                    return Err(ExprError::new(start, format!("unexpected character `{c}`{hint}")));
                }
            }
        };
        out.push(Token { tok, offset: start });
    }
    Ok(out)
}

// ---------------------------------------------------------------- parser

/// Deepest nesting accepted: a hand-written expression never comes near, and
/// the limit keeps a pathological string from overflowing the stack.
const MAX_DEPTH: usize = 200;

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    /// Length of the source in characters: the offset of "unexpected end".
    end: usize,
}

type PResult = Result<Node<NameRef>, ExprError>;

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn peek_op(&self, ops: &[char]) -> Option<char> {
        match self.peek() {
            Some(Token { tok: Tok::Op(c), .. }) if ops.contains(c) => Some(*c),
            _ => None,
        }
    }

    fn depth_check(&self, depth: usize) -> Result<(), ExprError> {
        if depth > MAX_DEPTH {
            let off = self.peek().map_or(self.end, |t| t.offset);
            return Err(ExprError::new(off, format!("expression nested deeper than {MAX_DEPTH} levels")));
        }
        Ok(())
    }

    fn expr(&mut self) -> PResult {
        self.expr_at(0)
    }

    fn expr_at(&mut self, depth: usize) -> PResult {
        self.depth_check(depth)?;
        let mut left = self.term(depth)?;
        while let Some(c) = self.peek_op(&['+', '-']) {
            self.pos += 1;
            let right = self.term(depth)?;
            let op = if c == '+' { Op::Add } else { Op::Sub };
            left = Node::Bin(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn term(&mut self, depth: usize) -> PResult {
        let mut left = self.unary(depth)?;
        while let Some(c) = self.peek_op(&['*', '/']) {
            self.pos += 1;
            let right = self.unary(depth)?;
            let op = if c == '*' { Op::Mul } else { Op::Div };
            left = Node::Bin(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self, depth: usize) -> PResult {
        self.depth_check(depth)?;
        match self.peek_op(&['-', '+']) {
            Some('-') => {
                self.pos += 1;
                Ok(Node::Neg(Box::new(self.unary(depth + 1)?)))
            }
            Some(_) => {
                self.pos += 1;
                self.unary(depth + 1)
            }
            None => self.power(depth),
        }
    }

    fn power(&mut self, depth: usize) -> PResult {
        let base = self.atom(depth)?;
        if self.peek_op(&['^']).is_some() {
            self.pos += 1;
            let exp = self.unary(depth + 1)?;
            return Ok(Node::Bin(Op::Pow, Box::new(base), Box::new(exp)));
        }
        Ok(base)
    }

    fn atom(&mut self, depth: usize) -> PResult {
        let Some(t) = self.peek().cloned() else {
            return Err(ExprError::new(self.end, "unexpected end: a number, name or `(` is missing"));
        };
        self.pos += 1;
        match t.tok {
            Tok::Num(x) => Ok(Node::Num(x)),
            Tok::LParen => {
                let inner = self.expr_at(depth + 1)?;
                self.expect_close(t.offset, "`(`")?;
                Ok(inner)
            }
            Tok::Name(name) => {
                let call = matches!(self.peek(), Some(Token { tok: Tok::LParen, .. }));
                match (Func::from_name(&name), call) {
                    (Some(f), true) => self.call(f, &name, t.offset, depth),
                    (Some(_), false) => {
                        Err(ExprError::new(t.offset, format!("`{name}` is a function: write {name}(…)")))
                    }
                    (None, true) => Err(ExprError::new(
                        t.offset,
                        format!("unknown function `{name}`; functions: {}", FUNCTIONS.join(", ")),
                    )),
                    (None, false) => Ok(Node::Leaf(NameRef { name, offset: t.offset })),
                }
            }
            Tok::Op(c) => Err(ExprError::new(t.offset, format!("unexpected `{c}`: a number, name or `(` is missing"))),
            Tok::RParen => Err(ExprError::new(t.offset, "unexpected `)`: a number, name or `(` is missing")),
            Tok::Comma => Err(ExprError::new(t.offset, "unexpected `,`: a number, name or `(` is missing")),
        }
    }

    /// A function call; the name is parsed and `(` is next.
    fn call(&mut self, f: Func, name: &str, offset: usize, depth: usize) -> PResult {
        let open = self.tokens[self.pos].offset;
        self.pos += 1;
        let mut args = Vec::new();
        if !matches!(self.peek(), Some(Token { tok: Tok::RParen, .. })) {
            loop {
                args.push(self.expr_at(depth + 1)?);
                if matches!(self.peek(), Some(Token { tok: Tok::Comma, .. })) {
                    self.pos += 1;
                } else {
                    break;
                }
            }
        }
        self.expect_close(open, &format!("`{name}(`"))?;
        let (lo, hi) = f.arity();
        if args.len() < lo || args.len() > hi {
            return Err(ExprError::new(offset, format!("`{name}` takes {}, got {}", f.arity_text(), args.len())));
        }
        Ok(Node::Call(f, args))
    }

    fn expect_close(&mut self, open: usize, what: &str) -> Result<(), ExprError> {
        match self.peek() {
            Some(Token { tok: Tok::RParen, .. }) => {
                self.pos += 1;
                Ok(())
            }
            Some(t) => Err(ExprError::new(
                t.offset,
                format!("expected `)` to close the {what} at character {}, found {}", open + 1, t.tok),
            )),
            None => Err(ExprError::new(
                self.end,
                format!("unexpected end: expected `)` to close the {what} at character {}", open + 1),
            )),
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(s: &str) -> f64 {
        Expr::parse(s).unwrap_or_else(|e| panic!("{s}: {e} at {}", e.offset)).eval(|_| None).unwrap()
    }

    fn ev_with(s: &str, vars: &[(&str, f64)]) -> f64 {
        let m: HashMap<&str, f64> = vars.iter().copied().collect();
        Expr::parse(s).unwrap().eval_map(&m).unwrap()
    }

    fn err(s: &str) -> (usize, String) {
        let e = Expr::parse(s).expect_err(s);
        (e.offset, e.reason)
    }

    #[test]
    fn precedence_and_associativity() {
        assert_eq!(ev("1 + 2 * 3"), 7.0);
        assert_eq!(ev("(1 + 2) * 3"), 9.0);
        assert_eq!(ev("10 - 4 - 3"), 3.0);
        assert_eq!(ev("24 / 4 / 2"), 3.0);
        assert_eq!(ev("2 ^ 3 ^ 2"), 512.0);
        assert_eq!(ev("-2^2"), -4.0);
        assert_eq!(ev("(-2)^2"), 4.0);
        assert_eq!(ev("2^-1"), 0.5);
        assert_eq!(ev("- -3"), 3.0);
        assert_eq!(ev("+3"), 3.0);
        assert_eq!(ev("2 * -3"), -6.0);
        assert_eq!(ev("1 - -1"), 2.0);
        assert_eq!(ev("2 * 3 ^ 2"), 18.0);
        assert_eq!(ev("-3 ^ 2 * 2"), -18.0);
        assert_eq!(ev("1e-3 * 1000"), 1.0);
        assert_eq!(ev(".5 + 2.5E1"), 25.5);
        assert_eq!(ev("  7  "), 7.0);
    }

    #[test]
    fn functions_against_hand_values() {
        assert_eq!(ev("exp(0)"), 1.0);
        assert_eq!(ev("ln(1)"), 0.0);
        assert_eq!(ev("log(exp(2))"), 2.0);
        assert_eq!(ev("log10(1000)"), 3.0);
        assert_eq!(ev("sqrt(16)"), 4.0);
        assert_eq!(ev("abs(-2.5)"), 2.5);
        assert_eq!(ev("min(3, 1, 2)"), 1.0);
        assert_eq!(ev("max(3, 1, 2)"), 3.0);
        assert_eq!(ev("min(4)"), 4.0);
        assert_eq!(ev("pow(2, 10)"), 1024.0);
        // 1 − e^(−0.1) = 0.095162581964040...; hand value from the series.
        assert!((ev("rate_to_prob(0.1)") - 0.095_162_581_964_040_43).abs() < 1e-16);
        // Over half a year: 1 − e^(−0.05) = 0.048770575499285...
        assert!((ev("rate_to_prob(0.1, 0.5)") - 0.048_770_575_499_285_99).abs() < 1e-16);
        // −ln(0.9) = 0.105360515657826...
        assert!((ev("prob_to_rate(0.1)") - 0.105_360_515_657_826_3).abs() < 1e-15);
        assert!((ev("prob_to_rate(0.1, 2)") - 0.052_680_257_828_913_15).abs() < 1e-15);
        assert_eq!(ev("prob_to_odds(0.2)"), 0.25);
        assert_eq!(ev("odds_to_prob(0.25)"), 0.2);
        // Round trips.
        assert!((ev("prob_to_rate(rate_to_prob(0.37))") - 0.37).abs() < 1e-15);
        assert!((ev("odds_to_prob(prob_to_odds(0.3))") - 0.3).abs() < 1e-15);
    }

    #[test]
    fn nan_and_infinity_propagate() {
        assert!(ev("ln(-1)").is_nan());
        assert_eq!(ev("1 / 0"), f64::INFINITY);
        assert!(ev("min(1, ln(-1))").is_nan());
        assert!(ev("max(ln(-1), 1)").is_nan());
        assert!(ev("prob_to_rate(1.5)").is_nan());
    }

    #[test]
    fn names_and_values() {
        let e = Expr::parse("1 - exp(-r_HD * hr_S1) + r_HD").unwrap();
        assert_eq!(e.names(), vec!["r_HD", "hr_S1"]);
        let refs: Vec<(String, usize)> = e.refs().iter().map(|r| (r.name.clone(), r.offset)).collect();
        assert_eq!(refs, vec![("r_HD".into(), 9), ("hr_S1".into(), 16), ("r_HD".into(), 25)]);
        let v = ev_with("1 - exp(-r_HD * hr_S1)", &[("r_HD", 0.2), ("hr_S1", 1.5)]);
        assert_eq!(v, 1.0 - (-0.2f64 * 1.5).exp());
        let e = Expr::parse("c_soc + x").unwrap();
        let err = e.eval(|n| (n == "c_soc").then_some(1.0)).unwrap_err();
        assert_eq!((err.offset, err.reason.as_str()), (8, "`x` has no value here"));
        assert_eq!(Expr::parse("2 * 3").unwrap().constant(), None);
        assert!(is_name("r_HD") && is_name("_x1") && is_name("kosten_één"));
        assert!(!is_name("1x") && !is_name("a-b") && !is_name("a b") && !is_name(""));
    }

    #[test]
    fn offsets_count_characters_not_bytes() {
        let e = Expr::parse("ß + é_2").unwrap();
        assert_eq!(e.refs()[1].offset, 4);
        assert_eq!(err("é + expp(1)"), (4, format!("unknown function `expp`; functions: {}", FUNCTIONS.join(", "))));
    }

    #[test]
    fn binding_reserved_variables_folds_constants() {
        let e = Expr::parse("p0 * exp(-0.1 * (years_in_state - 1))").unwrap();
        assert_eq!(e.names(), vec!["p0", "years_in_state"]);
        let b = e.bind(&HashMap::from([("years_in_state", 3.0)]));
        assert_eq!(b.names(), vec!["p0"]);
        assert_eq!(b.source(), e.source());
        let v = b.eval(|_| Some(0.5)).unwrap();
        assert_eq!(v, 0.5 * (-0.1f64 * 2.0).exp());
        let c = Expr::parse("2 * cycle + 1").unwrap().bind(&HashMap::from([("cycle", 4.0)]));
        assert_eq!(c.constant(), Some(9.0));
    }

    #[test]
    fn compiling_to_slots() {
        let e = Expr::parse("a + b * a - k").unwrap();
        let c = e
            .compile(|r| -> Result<Operand, String> {
                match r.name.as_str() {
                    "a" => Ok(Operand::Slot(2)),
                    "b" => Ok(Operand::Slot(0)),
                    "k" => Ok(Operand::Fixed(1.0)),
                    other => Err(other.to_string()),
                }
            })
            .unwrap();
        assert_eq!(c.inputs(), vec![2, 0]);
        assert_eq!(c.eval(&[3.0, 9.0, 2.0]), 2.0 + 3.0 * 2.0 - 1.0);
        let bad = Expr::parse("a + zz").unwrap().compile(|r| match r.name.as_str() {
            "a" => Ok(Operand::Slot(0)),
            _ => Err(r.offset),
        });
        assert_eq!(bad, Err(4));
        let k = Expr::parse("k * 2").unwrap().compile::<()>(|_| Ok(Operand::Fixed(1.5))).unwrap();
        assert_eq!(k.constant(), Some(3.0));
        assert!(k.inputs().is_empty());
    }

    #[test]
    fn syntax_errors_with_offsets() {
        assert_eq!(err("expp(1)").0, 0);
        assert!(err("expp(1)").1.starts_with("unknown function `expp`"));
        assert_eq!(err("(1 + 2"), (6, "unexpected end: expected `)` to close the `(` at character 1".into()));
        assert_eq!(err("exp(1 2)"), (6, "expected `)` to close the `exp(` at character 4, found number 2".into()));
        assert_eq!(err("1 +"), (3, "unexpected end: a number, name or `(` is missing".into()));
        assert_eq!(err(""), (0, "unexpected end: a number, name or `(` is missing".into()));
        assert_eq!(err("1 + * 2"), (4, "unexpected `*`: a number, name or `(` is missing".into()));
        assert_eq!(err("a b"), (2, "unexpected name `b`: an operator is missing before it".into()));
        assert_eq!(err("1 + 2)"), (5, "unexpected `)` without a matching `(`".into()));
        assert_eq!(err("2 (3)"), (2, "unexpected `(`: an operator is missing before it".into()));
        assert_eq!(err("a, b"), (1, "unexpected `,` outside a function call".into()));
        assert_eq!(err("pow(2)"), (0, "`pow` takes 2 arguments (x, y), got 1".into()));
        assert_eq!(err("exp()"), (0, "`exp` takes 1 argument, got 0".into()));
        assert_eq!(err("rate_to_prob(1, 2, 3)").1, "`rate_to_prob` takes 1 or 2 arguments (rate[, time]), got 3");
        assert_eq!(err("exp + 1"), (0, "`exp` is a function: write exp(…)".into()));
        assert_eq!(err("1e+"), (1, "a number's exponent needs digits (e.g. 1e-3)".into()));
        assert_eq!(err("2x"), (1, "unexpected `x` in a number".into()));
        assert_eq!(err("1.2.3"), (3, "unexpected `.` in a number".into()));
        assert_eq!(err("a > b"), (2, "unexpected character `>`; comparisons and logic are not supported".into()));
        assert_eq!(err("a % b"), (2, "unexpected character `%`".into()));
        let deep = format!("{}1{}", "(".repeat(500), ")".repeat(500));
        assert!(err(&deep).1.contains("nested deeper"));
        let negs = format!("{}1", "-".repeat(500));
        assert!(err(&negs).1.contains("nested deeper"));
    }

    /// Pins evaluated values bit for bit (the bits were computed independently
    /// in Python with the same operations): a change would move published figures.
    #[test]
    fn value_stability() {
        let e = Expr::parse("1 - exp(-r * t) + prob_to_rate(p) / 3 - 2^-k").unwrap();
        let v = e.eval_map(&HashMap::from([("r", 0.3), ("t", 2.5), ("p", 0.12), ("k", 1.5)])).unwrap();
        assert_eq!(v.to_bits(), 0x3fcb_bc89_5ecb_6a56, "{v} = {:#x}", v.to_bits());
        let c = ev("rate_to_prob(0.25, 3)");
        assert_eq!(c.to_bits(), 0x3fe0_e25f_8a08_1941, "{c} = {:#x}", c.to_bits());
    }
}
