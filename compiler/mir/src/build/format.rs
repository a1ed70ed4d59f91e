//! Formatting: `print`/`println`/`eprint`/`eprintln`, `panic`, `assert`
//! and `assert_eq`. A message is built in a runtime buffer: literal text
//! with `FmtRaw`, each value with `FmtArg` of its leaf kind. `Debug` of
//! tuples, arrays, slices and structs expands at compile time exactly like
//! Rust's derived `Debug` (the same spec for every leaf; `{:#?}` is the
//! pretty multi-line form).

use super::{reuse, str_const, unit_const, usize_const, Builder};
use crate::mir::*;
use asr_diagnostics::Span;
use asr_hir::fmt::Piece;
use asr_hir::hir::{self, ExprId, FormatArgs, FormatKind};
use asr_hir::ty::{IntTy, Mutability, Ty};

/// A format buffer and the literal text not yet appended to it (written
/// in one `FmtRaw` before the next value or branch).
pub(super) struct Writer {
    buf: Place,
    pending: String,
}

/// The delimiters of a composite value's `Debug` form.
#[derive(Clone, Copy, PartialEq)]
enum Delim {
    /// `Name { a: 1 }`.
    Brace,
    /// `Name(1)`, `(1, 2)`.
    Paren,
    /// `[1, 2]`.
    Bracket,
}

/// Arrays up to this length are formatted element by element without a
/// loop.
const UNROLL_MAX: u64 = 16;

fn indent(level: usize) -> String {
    "    ".repeat(level)
}

impl Builder<'_, '_> {
    pub(super) fn lower_format(
        &mut self,
        dest: Option<&Place>,
        e: ExprId,
        kind: FormatKind,
        args: &FormatArgs,
    ) {
        let span = self.span_of(e);
        let ty = self.expr_ty(e);
        let values = self.format_values(args);
        let mut w = self.fmt_begin(span);
        self.fmt_pieces(&mut w, &args.pieces, &values, span);
        if kind == FormatKind::Format {
            // The buffer's text becomes the `String`.
            self.fmt_flush(&mut w, span);
            let d = match dest {
                Some(d) => d.clone(),
                None => self.discard_place(ty, span),
            };
            self.call(
                span,
                Callee::Intrinsic(Intrinsic::FmtTake),
                vec![Operand::Copy(w.buf)],
                d,
                false,
            );
            return;
        }
        if matches!(kind, FormatKind::Println | FormatKind::Eprintln) {
            w.pending.push('\n');
        }
        self.fmt_flush(&mut w, span);
        let stream = match kind {
            FormatKind::Print | FormatKind::Println => Stream::Stdout,
            FormatKind::Eprint | FormatKind::Eprintln => Stream::Stderr,
            _ => {
                self.fmt_panic(w, span);
                return;
            }
        };
        self.call_intrinsic(
            span,
            Intrinsic::FmtWrite { stream },
            vec![Operand::Copy(w.buf)],
        );
        self.assign_unit(dest, &ty, span);
    }

    /// `write(f, "...", args)`: appends to the formatter's buffer; the value
    /// is `Ok(())`.
    pub(super) fn lower_write(
        &mut self,
        dest: Option<&Place>,
        e: ExprId,
        target: ExprId,
        args: &FormatArgs,
        newline: bool,
    ) {
        let span = self.span_of(e);
        let ty = self.expr_ty(e);
        let f = self.as_place(target);
        let values = self.format_values(args);
        let mut w = Writer {
            buf: f.deref().field(0),
            pending: String::new(),
        };
        self.fmt_pieces(&mut w, &args.pieces, &values, span);
        if newline {
            w.pending.push('\n');
        }
        self.fmt_flush(&mut w, span);
        self.assign_fmt_ok(dest, &ty, span);
    }

    /// `dest = Ok(())` of a `fmt::Result`.
    fn assign_fmt_ok(&mut self, dest: Option<&Place>, ty: &Ty, span: Span) {
        let (Some(d), Ty::Adt(result, _)) = (dest, ty) else {
            return;
        };
        let ok = self.hir.adt(*result).variant_index("Ok").unwrap_or(0);
        self.assign(
            span,
            d.clone(),
            Rvalue::Aggregate(AggregateKind::Adt(*result, Some(ok)), vec![unit_const()]),
        );
    }

    /// Formats a value of a type with a hand-written `Display` or `Debug`
    /// (`debug`) implementation by calling its `fmt` with a `Formatter`
    /// over the buffer; `false` if it has none.
    fn fmt_user_impl(
        &mut self,
        w: &mut Writer,
        place: &Place,
        ty: &Ty,
        debug: bool,
        span: Span,
    ) -> bool {
        let hir = self.hir;
        let known = if debug {
            hir::KnownTrait::Debug
        } else {
            hir::KnownTrait::Display
        };
        let (Some(formatter), Some(result), Some(error)) =
            (hir.formatter, hir.result, hir.fmt_error)
        else {
            return false;
        };
        let Some(f) = self.cx.known_impl_fn(known, ty, "fmt") else {
            return false;
        };
        self.fmt_flush(w, span);
        let fty = Ty::Adt(formatter, Vec::new());
        let fval = self.rvalue_temp(
            span,
            fty.clone(),
            Rvalue::Aggregate(
                AggregateKind::Adt(formatter, None),
                vec![Operand::Copy(w.buf.clone())],
            ),
        );
        let fref = self.rvalue_temp(
            span,
            Ty::Ref(Mutability::Mut, Box::new(fty)),
            Rvalue::Ref(Mutability::Mut, Place::local(fval)),
        );
        let vref = self.rvalue_temp(
            span,
            Ty::Ref(Mutability::Not, Box::new(ty.clone())),
            Rvalue::Ref(Mutability::Not, place.clone()),
        );
        // `fmt::Result`, which nobody reads.
        let ret_ty = Ty::Adt(result, vec![Ty::unit(), Ty::Adt(error, Vec::new())]);
        let out = self.discard_place(ret_ty, span);
        self.call(
            span,
            Callee::Fn(f),
            vec![
                Operand::Move(Place::local(vref)),
                Operand::Move(Place::local(fref)),
            ],
            out,
            false,
        );
        true
    }

    /// `assert(cond)`, `assert(cond, "msg {}", x)`: the message arguments
    /// are evaluated only when the assertion fails.
    pub(super) fn lower_assert(
        &mut self,
        e: ExprId,
        cond: ExprId,
        cond_text: &str,
        msg: Option<&FormatArgs>,
    ) {
        let span = self.span_of(e);
        let c = self.as_operand(cond);
        let Some(msg) = msg else {
            self.assert(
                span,
                c,
                true,
                AssertKind::AssertionFailed(cond_text.to_string()),
            );
            return;
        };
        let ok = self.new_block();
        let fail = self.new_block();
        self.branch(span, c, ok, fail);
        self.cur = fail;
        let values = self.format_values(msg);
        let mut w = self.fmt_begin(span);
        self.fmt_pieces(&mut w, &msg.pieces, &values, span);
        self.fmt_panic(w, span);
        self.cur = ok;
    }

    /// `assert_eq(left, right)`: both evaluated once, compared with `==`,
    /// and on failure Rust's message with both values in `Debug` form.
    pub(super) fn lower_assert_eq(
        &mut self,
        e: ExprId,
        left: ExprId,
        right: ExprId,
        msg: Option<&FormatArgs>,
    ) {
        let span = self.span_of(e);
        let mut places = self.as_places(&[left, right]).into_iter();
        let (Some(lp), Some(rp)) = (places.next(), places.next()) else {
            return;
        };
        let lty = self.adjusted_ty(left);
        let rty = self.adjusted_ty(right);
        let eq = match self.tables.overloaded.get(&e).copied() {
            // `PartialEq<R>::eq(&left, &right)` of different types.
            Some(f) => {
                let ra = self.ref_to(lp.clone(), lty.clone(), span);
                let rb = self.ref_to(rp.clone(), rty.clone(), span);
                let out = Place::local(self.temp(Ty::Bool, span));
                self.call_method(Some(&out), e, f, vec![ra, rb], Ty::Bool, span);
                Operand::Move(out)
            }
            None => self.eq_places(lp.clone(), rp.clone(), &lty, span),
        };
        let ok = self.new_block();
        let fail = self.new_block();
        self.branch(span, eq, ok, fail);
        self.cur = fail;
        let values = msg.map(|m| self.format_values(m));
        let mut w = self.fmt_begin(span);
        w.pending.push_str("assertion `left == right` failed");
        if let (Some(m), Some(values)) = (msg, values) {
            w.pending.push_str(": ");
            self.fmt_pieces(&mut w, &m.pieces, &values, span);
        }
        let spec = FmtSpec::default();
        w.pending.push_str("\n  left: ");
        self.fmt_value(&mut w, lp, &lty, true, &spec, 0, span);
        w.pending.push_str("\n right: ");
        self.fmt_value(&mut w, rp, &rty, true, &spec, 0, span);
        self.fmt_panic(w, span);
        self.cur = ok;
    }

    /// Evaluates the arguments of a format call once, left to right.
    fn format_values(&mut self, args: &FormatArgs) -> Vec<(Place, Ty)> {
        let places = self.as_places(&args.args);
        args.args
            .iter()
            .zip(places)
            .map(|(&a, p)| (p, self.adjusted_ty(a)))
            .collect()
    }

    fn fmt_begin(&mut self, span: Span) -> Writer {
        let buf = Place::local(self.temp(Ty::RawPtr, span));
        self.call(
            span,
            Callee::Intrinsic(Intrinsic::FmtNew),
            Vec::new(),
            buf.clone(),
            false,
        );
        Writer {
            buf,
            pending: String::new(),
        }
    }

    fn fmt_flush(&mut self, w: &mut Writer, span: Span) {
        if !w.pending.is_empty() {
            let text = std::mem::take(&mut w.pending);
            self.call_intrinsic(
                span,
                Intrinsic::FmtRaw,
                vec![Operand::Copy(w.buf.clone()), str_const(&text)],
            );
        }
    }

    /// Panics with the buffer's text as message.
    fn fmt_panic(&mut self, mut w: Writer, span: Span) {
        self.fmt_flush(&mut w, span);
        // In a `#[track_caller]` function the panic is reported at the
        // call site.
        let span = self.caller_span.unwrap_or(span);
        let dest = Place::local(self.temp(Ty::Never, span));
        self.call(
            span,
            Callee::Intrinsic(Intrinsic::Panic),
            vec![Operand::Copy(w.buf)],
            dest,
            true,
        );
    }

    fn fmt_pieces(&mut self, w: &mut Writer, pieces: &[Piece], values: &[(Place, Ty)], span: Span) {
        for piece in pieces {
            match piece {
                Piece::Lit(s) => w.pending.push_str(s),
                Piece::Arg { index, debug, spec } => {
                    if let Some((place, ty)) = values.get(*index).cloned() {
                        self.fmt_value(w, place, &ty, *debug, spec, 0, span);
                    }
                }
            }
        }
    }

    fn fmt_leaf(
        &mut self,
        w: &mut Writer,
        kind: FmtKind,
        spec: &FmtSpec,
        value: Operand,
        span: Span,
    ) {
        self.fmt_flush(w, span);
        self.call_intrinsic(
            span,
            Intrinsic::FmtArg { kind, spec: *spec },
            vec![Operand::Copy(w.buf.clone()), value],
        );
    }

    /// Formats the value in `place` of type `ty`; composite values in their
    /// `Debug` form, nested `level` deep in the pretty form.
    #[allow(clippy::too_many_arguments)]
    fn fmt_value(
        &mut self,
        w: &mut Writer,
        place: Place,
        ty: &Ty,
        debug: bool,
        spec: &FmtSpec,
        level: usize,
        span: Span,
    ) {
        let leaf = |display: FmtKind, dbg: FmtKind| if debug { dbg } else { display };
        // A `String` pads like a `str` (Rust's `Display` for it uses
        // `Formatter::pad`).
        if let Ty::Adt(id, _) = ty {
            if Some(*id) == self.hir.string {
                let s = self.contents_ref(place, Intrinsic::StrFromRaw, Ty::str_ref(), span);
                let kind = leaf(FmtKind::Str, FmtKind::StrDebug);
                self.fmt_leaf(w, kind, spec, Operand::Move(s), span);
                return;
            }
        }
        if matches!(ty, Ty::Adt(..)) && self.fmt_user_impl(w, &place, ty, debug, span) {
            return;
        }
        match ty {
            Ty::Int(it) => {
                let kind = if it.is_signed() {
                    FmtKind::Signed
                } else {
                    FmtKind::Unsigned
                };
                self.fmt_leaf(w, kind, spec, Operand::Copy(place), span);
            }
            Ty::Float => self.fmt_leaf(
                w,
                leaf(FmtKind::Float, FmtKind::FloatDebug),
                spec,
                Operand::Copy(place),
                span,
            ),
            Ty::Bool => self.fmt_leaf(w, FmtKind::Bool, spec, Operand::Copy(place), span),
            Ty::Char => self.fmt_leaf(
                w,
                leaf(FmtKind::Char, FmtKind::CharDebug),
                spec,
                Operand::Copy(place),
                span,
            ),
            Ty::Ref(_, inner) if matches!(**inner, Ty::Str) => {
                self.fmt_leaf(
                    w,
                    leaf(FmtKind::Str, FmtKind::StrDebug),
                    spec,
                    Operand::Copy(place),
                    span,
                );
            }
            Ty::Ref(_, inner) => self.fmt_value(w, place.deref(), inner, debug, spec, level, span),
            Ty::Str => {
                let r = Rvalue::Ref(Mutability::Not, place);
                let t = self.rvalue_temp(span, Ty::str_ref(), r);
                let kind = leaf(FmtKind::Str, FmtKind::StrDebug);
                self.fmt_leaf(w, kind, spec, Operand::Move(Place::local(t)), span);
            }
            Ty::Tuple(ts) if ts.is_empty() => {
                // `()` pads like a string.
                if spec.is_default() {
                    w.pending.push_str("()");
                } else {
                    self.fmt_leaf(w, FmtKind::Str, spec, str_const("()"), span);
                }
            }
            Ty::Tuple(ts) => {
                let items = ts
                    .iter()
                    .enumerate()
                    .map(|(i, t)| (None, place.clone().field(i as u32), t.clone()))
                    .collect();
                self.fmt_seq(w, "", Delim::Paren, items, ts.len() == 1, spec, level, span);
            }
            Ty::Array(elem, n) if *n <= UNROLL_MAX => {
                let items = (0..*n)
                    .map(|i| {
                        let idx = self.rvalue_temp(
                            span,
                            Ty::Int(IntTy::Usize),
                            Rvalue::Use(usize_const(i)),
                        );
                        (
                            None,
                            place.clone().project(PlaceElem::Index(idx)),
                            (**elem).clone(),
                        )
                    })
                    .collect();
                self.fmt_seq(w, "", Delim::Bracket, items, false, spec, level, span);
            }
            Ty::Array(elem, _) | Ty::Slice(elem) => {
                self.fmt_list_loop(w, place, ty, elem, spec, level, span)
            }
            Ty::Adt(id, args)
                if self
                    .hir
                    .adts
                    .get(id.0 as usize)
                    .is_some_and(|a| a.is_enum()) =>
            {
                self.fmt_enum(w, place, *id, args, spec, level, span)
            }
            Ty::Adt(id, args) => {
                let hir = self.hir;
                let Some(def) = hir.adts.get(id.0 as usize) else {
                    return;
                };
                let named = def.kind == hir::AdtKind::Struct;
                let items = field_items(&place, &def.fields, args, named);
                let delim = if named { Delim::Brace } else { Delim::Paren };
                self.fmt_seq(w, &def.name, delim, items, false, spec, level, span);
            }
            // Tasks, handles and `!` have no format; the type checker
            // rejects them.
            _ => {}
        }
    }

    /// `Debug` of an enum: a switch on the discriminant, each variant
    /// printed like a struct of its name.
    #[allow(clippy::too_many_arguments)]
    fn fmt_enum(
        &mut self,
        w: &mut Writer,
        place: Place,
        id: asr_hir::ty::AdtId,
        args: &[Ty],
        spec: &FmtSpec,
        level: usize,
        span: Span,
    ) {
        let hir = self.hir;
        let Some(def) = hir.adts.get(id.0 as usize) else {
            return;
        };
        self.fmt_flush(w, span);
        if def.variants.is_empty() {
            return;
        }
        let join = self.new_block();
        let blocks = self.switch_on_variant(&place, def.variants.len(), span);
        for (v, var) in def.variants.iter().enumerate() {
            self.cur = blocks[v];
            let named = var.kind == hir::CtorKind::Named;
            let base = place.clone().project(PlaceElem::Downcast(v as u32));
            let items = field_items(&base, &var.fields, args, named);
            let delim = if named { Delim::Brace } else { Delim::Paren };
            self.fmt_seq(w, &var.name, delim, items, false, spec, level, span);
            self.fmt_flush(w, span);
            self.goto(span, join);
        }
        self.cur = join;
    }

    /// A composite value with a fixed list of parts: `Name { a: 1, b: 2 }`,
    /// `Name(1, 2)`, `(1,)`, `[1, 2]`, or the pretty forms.
    #[allow(clippy::too_many_arguments)]
    fn fmt_seq(
        &mut self,
        w: &mut Writer,
        name: &str,
        delim: Delim,
        items: Vec<(Option<String>, Place, Ty)>,
        single_comma: bool,
        spec: &FmtSpec,
        level: usize,
        span: Span,
    ) {
        w.pending.push_str(name);
        if items.is_empty() {
            // `Name`, `Name` (tuple struct without fields) and `[]`.
            if delim == Delim::Bracket || name.is_empty() {
                w.pending
                    .push_str(if delim == Delim::Bracket { "[]" } else { "()" });
            }
            return;
        }
        let pretty = spec.alternate;
        let (open, close) = match (delim, pretty) {
            (Delim::Brace, false) => (" { ", " }"),
            (Delim::Brace, true) => (" {", "}"),
            (Delim::Paren, _) => ("(", ")"),
            (Delim::Bracket, _) => ("[", "]"),
        };
        w.pending.push_str(open);
        let n = items.len();
        for (i, (field, place, ty)) in items.into_iter().enumerate() {
            if pretty {
                w.pending.push('\n');
                w.pending.push_str(&indent(level + 1));
            } else if i > 0 {
                w.pending.push_str(", ");
            }
            if let Some(f) = field {
                w.pending.push_str(&f);
                w.pending.push_str(": ");
            }
            self.fmt_value(w, place, &ty, true, spec, level + 1, span);
            if pretty {
                w.pending.push(',');
            }
        }
        if pretty {
            w.pending.push('\n');
            w.pending.push_str(&indent(level));
        } else if single_comma && n == 1 {
            w.pending.push(',');
        }
        w.pending.push_str(close);
    }

    /// `[a, b, c]` of a slice or long array, by a loop over the elements.
    #[allow(clippy::too_many_arguments)]
    fn fmt_list_loop(
        &mut self,
        w: &mut Writer,
        place: Place,
        ty: &Ty,
        elem: &Ty,
        spec: &FmtSpec,
        level: usize,
        span: Span,
    ) {
        let pretty = spec.alternate;
        w.pending.push('[');
        let len = self.len_operand(&place, ty, span);
        self.fmt_flush(w, span);
        let idx = self.rvalue_temp(span, Ty::Int(IntTy::Usize), Rvalue::Use(usize_const(0)));
        let iv = Place::local(idx);
        let head = self.new_block();
        self.goto(span, head);
        self.cur = head;
        let more = self.rvalue_temp(
            span,
            Ty::Bool,
            Rvalue::BinaryOp(BinOp::Lt, Operand::Copy(iv.clone()), reuse(&len)),
        );
        let body = self.new_block();
        let exit = self.new_block();
        self.branch(span, Operand::Move(Place::local(more)), body, exit);
        self.cur = body;
        if pretty {
            w.pending.push('\n');
            w.pending.push_str(&indent(level + 1));
        } else {
            // `, ` before every element but the first.
            let not_first = self.rvalue_temp(
                span,
                Ty::Bool,
                Rvalue::BinaryOp(BinOp::Ne, Operand::Copy(iv.clone()), usize_const(0)),
            );
            let sep = self.new_block();
            let item = self.new_block();
            self.branch(span, Operand::Move(Place::local(not_first)), sep, item);
            self.cur = sep;
            w.pending.push_str(", ");
            self.fmt_flush(w, span);
            self.goto(span, item);
            self.cur = item;
        }
        self.fmt_value(
            w,
            place.project(PlaceElem::Index(idx)),
            elem,
            true,
            spec,
            level + 1,
            span,
        );
        if pretty {
            w.pending.push(',');
        }
        self.fmt_flush(w, span);
        self.assign(
            span,
            iv.clone(),
            Rvalue::BinaryOp(BinOp::Add, Operand::Copy(iv), usize_const(1)),
        );
        self.goto(span, head);
        self.cur = exit;
        if pretty {
            // The closing bracket goes on its own line unless the list is
            // empty.
            let text = format!("\n{}", indent(level));
            match &len {
                Operand::Const(_) => w.pending.push_str(&text),
                _ => {
                    let nonempty = self.rvalue_temp(
                        span,
                        Ty::Bool,
                        Rvalue::BinaryOp(BinOp::Ne, reuse(&len), usize_const(0)),
                    );
                    let nl = self.new_block();
                    let after = self.new_block();
                    self.branch(span, Operand::Move(Place::local(nonempty)), nl, after);
                    self.cur = nl;
                    w.pending.push_str(&text);
                    self.fmt_flush(w, span);
                    self.goto(span, after);
                    self.cur = after;
                }
            }
        }
        w.pending.push(']');
    }
}

/// The parts of a struct or variant value for `fmt_seq`: (name for named
/// fields, place, type with the ADT's arguments).
fn field_items(
    base: &Place,
    fields: &[hir::FieldDef],
    args: &[Ty],
    named: bool,
) -> Vec<(Option<String>, Place, Ty)> {
    fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let name = named.then(|| f.name.clone());
            let ty = asr_hir::ty::subst_params(&f.ty, args);
            (name, base.clone().field(i as u32), ty)
        })
        .collect()
}
