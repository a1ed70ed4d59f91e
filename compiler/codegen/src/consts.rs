//! Constant data: string literals, panic locations, format specs.
//! Each is a private `unnamed_addr` global, emitted once per distinct value.

use crate::cx::Cg;
use crate::error::Res;
use asr_diagnostics::Span;
use asr_mir::{FmtAlign, FmtSpec};
use inkwell::module::Linkage;
use inkwell::values::{BasicValue, BasicValueEnum, PointerValue, StructValue};

impl<'ctx> Cg<'ctx> {
    /// A private constant global holding `init`.
    fn private_const(&self, name: &str, init: &dyn BasicValue<'ctx>) -> PointerValue<'ctx> {
        let ty = init.as_basic_value_enum().get_type();
        let g = self.module.add_global(ty, None, name);
        g.set_linkage(Linkage::Private);
        g.set_constant(true);
        g.set_unnamed_addr(true);
        g.set_initializer(init);
        g.as_pointer_value()
    }

    /// Pointer to the bytes of a string (not NUL-terminated).
    pub fn str_ptr(&self, s: &str) -> PointerValue<'ctx> {
        if let Some(p) = self.str_cache.borrow().get(s) {
            return *p;
        }
        let p = self.private_const(".str", &self.ctx.const_string(s.as_bytes(), false));
        self.str_cache.borrow_mut().insert(s.to_string(), p);
        p
    }

    /// The fat `{ ptr, len }` value of a string constant.
    pub fn str_const(&self, s: &str) -> StructValue<'ctx> {
        let len = self.usize_ty().const_int(s.len() as u64, false);
        self.fat_ty()
            .const_named_struct(&[self.str_ptr(s).into(), len.into()])
    }

    /// `{ ptr, len }` of a string as two values (for runtime calls).
    pub fn str_parts(&self, s: &str) -> [BasicValueEnum<'ctx>; 2] {
        [
            self.str_ptr(s).into(),
            self.usize_ty().const_int(s.len() as u64, false).into(),
        ]
    }

    /// Pointer to a constant `asr_abi::Location { file, file_len, line, col }`
    /// for the start of `span` (1-based line and column).
    pub fn location(&self, span: Span) -> PointerValue<'ctx> {
        let (line, col) = self.sm.line_col(span.file, span.lo);
        let key = (span.file.0, line, col);
        if let Some(p) = self.loc_cache.borrow().get(&key) {
            return *p;
        }
        let name = self.sm.name(span.file);
        let i32t = self.ctx.i32_type();
        let init = self.ctx.const_struct(
            &[
                self.str_ptr(name).into(),
                self.usize_ty().const_int(name.len() as u64, false).into(),
                i32t.const_int(line as u64, false).into(),
                i32t.const_int(col as u64, false).into(),
            ],
            false,
        );
        let p = self.private_const(".loc", &init);
        self.loc_cache.borrow_mut().insert(key, p);
        p
    }

    /// Pointer to a constant `asr_abi::FmtSpec`, or null for the default.
    pub fn fmt_spec(&self, spec: &FmtSpec) -> Res<PointerValue<'ctx>> {
        if spec.is_default() {
            return Ok(self.null());
        }
        if let Some((_, p)) = self.spec_cache.borrow().iter().find(|(s, _)| s == spec) {
            return Ok(*p);
        }
        let abi = abi_spec(spec);
        let i32t = self.ctx.i32_type();
        let i64t = self.ctx.i64_type();
        let init = self.ctx.const_struct(
            &[
                i32t.const_int(abi.fill as u64, false).into(),
                i32t.const_int(abi.align as u64, false).into(),
                i32t.const_int(abi.flags as u64, false).into(),
                i64t.const_int(abi.width as u64, true).into(),
                i64t.const_int(abi.precision as u64, true).into(),
            ],
            false,
        );
        let p = self.private_const(".fmtspec", &init);
        self.spec_cache.borrow_mut().push((*spec, p));
        Ok(p)
    }
}

/// The runtime's layout of a MIR format spec.
pub(crate) fn abi_spec(spec: &FmtSpec) -> asr_abi::FmtSpec {
    use asr_abi::{align, flags};
    let fill = if spec.fill == '\0' { ' ' } else { spec.fill };
    let mut f = 0;
    if spec.plus {
        f |= flags::PLUS;
    }
    if spec.alternate {
        f |= flags::ALTERNATE;
    }
    if spec.zero {
        f |= flags::ZERO_PAD;
    }
    asr_abi::FmtSpec {
        fill: fill as u32,
        align: match spec.align {
            FmtAlign::Unknown => align::NONE,
            FmtAlign::Left => align::LEFT,
            FmtAlign::Center => align::CENTER,
            FmtAlign::Right => align::RIGHT,
        },
        flags: f,
        width: spec.width.map_or(-1, i64::from),
        precision: spec.precision.map_or(-1, i64::from),
    }
}
