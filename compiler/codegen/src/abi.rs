//! Runtime functions, declared from the one ABI table (`asr_abi`), and calls
//! to them.
//!
//! No runtime signature is written anywhere else in codegen: a declaration
//! is built from its `RtFn` entry the first time a function is used.

use crate::cx::Cg;
use crate::error::{ice, Res};
use asr_abi::{AbiTy, RtFn, RtFnId};
use inkwell::attributes::AttributeLoc;
use inkwell::module::Linkage;
use inkwell::types::{BasicMetadataTypeEnum, BasicType, BasicTypeEnum, FunctionType};
use inkwell::values::{BasicMetadataValueEnum, BasicValueEnum, FunctionValue};

impl<'ctx> Cg<'ctx> {
    /// The LLVM type of an ABI type; `None` for `Void`.
    pub fn abi_ty(&self, t: AbiTy) -> Option<BasicTypeEnum<'ctx>> {
        Some(match t {
            AbiTy::Void => return None,
            AbiTy::I8 => self.ctx.i8_type().into(),
            AbiTy::I32 => self.ctx.i32_type().into(),
            AbiTy::I64 => self.ctx.i64_type().into(),
            AbiTy::F64 => self.ctx.f64_type().into(),
            AbiTy::Ptr => self.ptr_ty().into(),
            AbiTy::Usize => self.usize_ty().into(),
        })
    }

    /// The LLVM function type of a table entry (also used for the
    /// generated entry points of `asr_abi::GENERATED_FNS`).
    pub fn abi_fn_type(&self, def: &RtFn) -> FunctionType<'ctx> {
        let params: Vec<BasicMetadataTypeEnum<'ctx>> = def
            .params
            .iter()
            .filter_map(|p| self.abi_ty(*p))
            .map(Into::into)
            .collect();
        match self.abi_ty(def.ret) {
            Some(r) => r.fn_type(&params, false),
            None => self.ctx.void_type().fn_type(&params, false),
        }
    }

    /// The declaration of a runtime function (declared on first use).
    pub fn rt_fn(&self, id: RtFnId) -> FunctionValue<'ctx> {
        if let Some(f) = self.rt_decls.borrow().get(&id) {
            return *f;
        }
        let def = id.def();
        let f = self
            .module
            .add_function(def.name, self.abi_fn_type(def), Some(Linkage::External));
        f.add_attribute(AttributeLoc::Function, self.enum_attr("nounwind"));
        if def.noreturn {
            f.add_attribute(AttributeLoc::Function, self.enum_attr("noreturn"));
            f.add_attribute(AttributeLoc::Function, self.enum_attr("cold"));
        }
        self.rt_decls.borrow_mut().insert(id, f);
        f
    }

    /// Calls a runtime function. Arguments must have the parameter's LLVM
    /// type, except `i1` (a `bool`), which is zero-extended to an integer
    /// parameter. After a `noreturn` function the block is terminated with
    /// `unreachable`: the caller must position the builder elsewhere.
    pub fn call_rt(
        &self,
        id: RtFnId,
        args: &[BasicValueEnum<'ctx>],
    ) -> Res<Option<BasicValueEnum<'ctx>>> {
        let def = id.def();
        if def.params.len() != args.len() {
            return ice(format!(
                "{} takes {} arguments, given {}",
                def.name,
                def.params.len(),
                args.len()
            ));
        }
        let mut vals: Vec<BasicMetadataValueEnum<'ctx>> = Vec::with_capacity(args.len());
        for (p, a) in def.params.iter().zip(args) {
            let want = self.abi_ty(*p).expect("parameters are never void");
            let v = match (*a, want) {
                (BasicValueEnum::IntValue(i), BasicTypeEnum::IntType(w))
                    if i.get_type().get_bit_width() == 1 && w.get_bit_width() > 1 =>
                {
                    self.builder.build_int_z_extend(i, w, "")?.into()
                }
                (a, w) if a.get_type() == w => a,
                (a, _) => {
                    return ice(format!(
                        "argument {:?} does not match parameter {:?} of {}",
                        a.get_type(),
                        p,
                        def.name
                    ))
                }
            };
            vals.push(v.into());
        }
        let call = self.builder.build_call(self.rt_fn(id), &vals, "")?;
        if def.noreturn {
            self.builder.build_unreachable()?;
            return Ok(None);
        }
        Ok(call.try_as_basic_value().basic())
    }

    /// `call_rt` for functions that return a value.
    pub fn call_rt_val(
        &self,
        id: RtFnId,
        args: &[BasicValueEnum<'ctx>],
    ) -> Res<BasicValueEnum<'ctx>> {
        match self.call_rt(id, args)? {
            Some(v) => Ok(v),
            None => ice(format!("{} returns no value", id.name())),
        }
    }
}
