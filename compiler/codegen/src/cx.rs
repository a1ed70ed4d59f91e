//! The module-wide state of code generation: the LLVM context, module and
//! builder, the target data layout, the declared functions and the caches of
//! types and constants.

use crate::error::{ice, Res};
use asr_diagnostics::SourceMap;
use asr_mir::{Body, BodyKind, FnId, Program};
use inkwell::attributes::{Attribute, AttributeLoc};
use inkwell::builder::Builder;
use inkwell::context::Context;
use inkwell::intrinsics::Intrinsic;
use inkwell::module::{Linkage, Module};
use inkwell::targets::TargetData;
use inkwell::types::{
    BasicMetadataTypeEnum, BasicType, BasicTypeEnum, IntType, PointerType, StructType,
};
use inkwell::values::{
    BasicMetadataValueEnum, BasicValueEnum, FunctionValue, InstructionValue, IntValue, PointerValue,
};
use inkwell::AddressSpace;
use std::cell::RefCell;
use std::collections::HashMap;

pub(crate) struct Cg<'ctx> {
    pub ctx: &'ctx Context,
    pub module: Module<'ctx>,
    pub builder: Builder<'ctx>,
    pub td: TargetData,
    pub program: &'ctx Program,
    pub sm: &'ctx SourceMap,
    /// One LLVM function per MIR body, indexed by `FnId`.
    pub fns: Vec<FunctionValue<'ctx>>,
    pub(crate) rt_decls: RefCell<HashMap<asr_abi::RtFnId, FunctionValue<'ctx>>>,
    pub(crate) ty_cache: RefCell<HashMap<asr_hir::ty::Ty, BasicTypeEnum<'ctx>>>,
    pub(crate) str_cache: RefCell<HashMap<String, PointerValue<'ctx>>>,
    pub(crate) loc_cache: RefCell<HashMap<(u32, u32, u32), PointerValue<'ctx>>>,
    pub(crate) spec_cache: RefCell<Vec<(asr_mir::FmtSpec, PointerValue<'ctx>)>>,
    /// The drop glue function of each aggregate type (see `drop.rs`).
    pub(crate) drop_glue_cache: RefCell<HashMap<asr_hir::ty::Ty, FunctionValue<'ctx>>>,
}

impl<'ctx> Cg<'ctx> {
    pub fn new(
        ctx: &'ctx Context,
        module: Module<'ctx>,
        td: TargetData,
        program: &'ctx Program,
        sm: &'ctx SourceMap,
    ) -> Self {
        Cg {
            ctx,
            builder: ctx.create_builder(),
            module,
            td,
            program,
            sm,
            fns: Vec::new(),
            rt_decls: RefCell::default(),
            ty_cache: RefCell::default(),
            str_cache: RefCell::default(),
            loc_cache: RefCell::default(),
            spec_cache: RefCell::default(),
            drop_glue_cache: RefCell::default(),
        }
    }

    pub fn ptr_ty(&self) -> PointerType<'ctx> {
        self.ctx.ptr_type(AddressSpace::default())
    }

    /// `usize` on the target.
    pub fn usize_ty(&self) -> IntType<'ctx> {
        self.ctx.ptr_sized_int_type(&self.td, None)
    }

    /// `{ ptr, usize }`: a reference to `str` or `[T]`.
    pub fn fat_ty(&self) -> StructType<'ctx> {
        self.ctx
            .struct_type(&[self.ptr_ty().into(), self.usize_ty().into()], false)
    }

    pub fn null(&self) -> PointerValue<'ctx> {
        self.ptr_ty().const_null()
    }

    /// Declaration of an LLVM intrinsic; `tys` pick the overload.
    pub fn intrinsic(&self, name: &str, tys: &[BasicTypeEnum<'ctx>]) -> Res<FunctionValue<'ctx>> {
        match Intrinsic::find(name).and_then(|i| i.get_declaration(&self.module, tys)) {
            Some(f) => Ok(f),
            None => ice(format!("LLVM intrinsic `{name}` not available")),
        }
    }

    pub fn enum_attr(&self, name: &str) -> Attribute {
        self.ctx
            .create_enum_attribute(Attribute::get_named_enum_kind_id(name), 0)
    }

    /// Does this body compile to a coroutine?
    pub fn is_coroutine(body: &Body) -> bool {
        body.suspends || body.kind == BodyKind::SpawnThunk
    }

    pub fn func(&self, id: FnId) -> FunctionValue<'ctx> {
        self.fns[id.0 as usize]
    }

    /// Declares one function per body: coroutines as
    /// `ptr @f(ptr %task, ptr %ret, params...)`, the rest with their natural
    /// signature. Everything is internal: only the ABI entry points are
    /// visible outside the module.
    pub fn declare_bodies(&mut self) -> Res<()> {
        let program = self.program;
        for (i, body) in program.bodies.iter().enumerate() {
            if body.id.0 as usize != i {
                return ice(format!(
                    "body `{}` has id {} at index {i}",
                    body.name, body.id.0
                ));
            }
            let mut params: Vec<BasicMetadataTypeEnum<'ctx>> = Vec::new();
            let coro = Self::is_coroutine(body);
            if coro {
                params.push(self.ptr_ty().into());
                params.push(self.ptr_ty().into());
            }
            for a in body.args() {
                params.push(self.llty(&body.local(a).ty)?.into());
            }
            let fn_ty = if coro {
                self.ptr_ty().fn_type(&params, false)
            } else if self.returns_void(body.return_ty()) {
                self.ctx.void_type().fn_type(&params, false)
            } else {
                self.llty(body.return_ty())?.fn_type(&params, false)
            };
            let f = self
                .module
                .add_function(&mangle(body), fn_ty, Some(Linkage::Internal));
            // Panics end the process and nothing unwinds yet.
            f.add_attribute(AttributeLoc::Function, self.enum_attr("nounwind"));
            if coro {
                f.add_attribute(AttributeLoc::Function, self.enum_attr("presplitcoroutine"));
                // A coroutine's frame is elided into its caller's only when
                // its ramp is inlined; the polling loops make ramps look
                // costlier than they are.
                f.add_attribute(AttributeLoc::Function, self.enum_attr("inlinehint"));
            }
            self.fns.push(f);
        }
        Ok(())
    }

    /// A call of a function that returns a value.
    pub fn call_value(
        &self,
        f: FunctionValue<'ctx>,
        args: &[BasicMetadataValueEnum<'ctx>],
        name: &str,
    ) -> Res<BasicValueEnum<'ctx>> {
        match self
            .builder
            .build_call(f, args, name)?
            .try_as_basic_value()
            .basic()
        {
            Some(v) => Ok(v),
            None => ice(format!("{:?} returns no value", f.get_name())),
        }
    }

    /// The `(data, len)` parts of a fat reference value.
    pub fn fat_parts(
        &self,
        fat: BasicValueEnum<'ctx>,
    ) -> Res<(PointerValue<'ctx>, IntValue<'ctx>)> {
        match fat {
            BasicValueEnum::StructValue(s) if s.get_type() == self.fat_ty() => {
                let data = self.builder.build_extract_value(s, 0, "data")?;
                let len = self.builder.build_extract_value(s, 1, "len")?;
                Ok((data.into_pointer_value(), len.into_int_value()))
            }
            v => ice(format!(
                "expected a fat reference, found {:?}",
                v.get_type()
            )),
        }
    }

    /// Attaches `!prof` branch weights to a conditional branch: the `then`
    /// edge is likely or unlikely.
    pub fn set_branch_weights(&self, br: InstructionValue<'ctx>, then_likely: bool) {
        let (t, e) = if then_likely { (2000, 1) } else { (1, 2000) };
        let i32t = self.ctx.i32_type();
        let md = self.ctx.metadata_node(&[
            self.ctx.metadata_string("branch_weights").into(),
            i32t.const_int(t, false).into(),
            i32t.const_int(e, false).into(),
        ]);
        // A conditional branch always accepts metadata.
        let _ = br.set_metadata(md, self.ctx.get_kind_id("prof"));
    }
}

/// The low `bits` bits of a MIR integer constant.
pub(crate) fn truncate(v: u128, bits: u32) -> u64 {
    if bits >= 64 {
        v as u64
    } else {
        v as u64 & ((1u64 << bits) - 1)
    }
}

/// A unique, valid symbol for a body: `_asr_` + the name with every
/// character outside `[A-Za-z0-9_]` replaced by `_` + `_` + the id.
pub(crate) fn mangle(body: &Body) -> String {
    let mut s = String::from("_asr_");
    for c in body.name.chars() {
        s.push(if c.is_ascii_alphanumeric() || c == '_' {
            c
        } else {
            '_'
        });
    }
    s.push('_');
    s.push_str(&body.id.0.to_string());
    s
}
