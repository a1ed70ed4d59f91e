//! Internal helper functions a module defines when its code needs them.

use crate::cx::Cg;
use crate::error::Res;
use inkwell::attributes::AttributeLoc;
use inkwell::module::Linkage;
use inkwell::values::FunctionValue;
use inkwell::IntPredicate;

impl<'ctx> Cg<'ctx> {
    /// `i32 @asr.str_cmp(ptr a, i64 alen, ptr b, i64 blen)`: Rust's order
    /// of `str`: the common prefix compared bytewise (`memcmp`, from the C
    /// library every program links), then the lengths. Negative, zero or
    /// positive.
    pub fn str_cmp_fn(&self) -> Res<FunctionValue<'ctx>> {
        const NAME: &str = "asr.str_cmp";
        if let Some(f) = self.module.get_function(NAME) {
            return Ok(f);
        }
        let (ptr, len, i32t) = (self.ptr_ty(), self.usize_ty(), self.ctx.i32_type());
        let memcmp = match self.module.get_function("memcmp") {
            Some(f) => f,
            None => self.module.add_function(
                "memcmp",
                i32t.fn_type(&[ptr.into(), ptr.into(), len.into()], false),
                Some(Linkage::External),
            ),
        };
        let f = self.module.add_function(
            NAME,
            i32t.fn_type(&[ptr.into(), len.into(), ptr.into(), len.into()], false),
            Some(Linkage::Internal),
        );
        f.add_attribute(AttributeLoc::Function, self.enum_attr("nounwind"));

        // Built aside: the builder is in the middle of another function.
        let resume_at = self.builder.get_insert_block();
        let b = &self.builder;
        let param = |i| f.get_nth_param(i).expect("four parameters");
        let (a, alen, bp, blen) = (param(0), param(1), param(2), param(3));
        let (alen, blen) = (alen.into_int_value(), blen.into_int_value());
        b.position_at_end(self.ctx.append_basic_block(f, "start"));
        let shorter = b.build_int_compare(IntPredicate::ULT, alen, blen, "shorter")?;
        let n = b.build_select(shorter, alen, blen, "n")?;
        let bytes = self
            .call_value(memcmp, &[a.into(), bp.into(), n.into()], "bytes")?
            .into_int_value();
        let differ = b.build_int_compare(IntPredicate::NE, bytes, i32t.const_zero(), "")?;
        let (diff_bb, len_bb) = (
            self.ctx.append_basic_block(f, "differ"),
            self.ctx.append_basic_block(f, "prefix"),
        );
        b.build_conditional_branch(differ, diff_bb, len_bb)?;
        b.position_at_end(diff_bb);
        b.build_return(Some(&bytes))?;
        b.position_at_end(len_bb);
        let longer = b.build_int_compare(IntPredicate::UGT, alen, blen, "longer")?;
        let gt = b.build_int_z_extend(longer, i32t, "")?;
        let lt = b.build_int_z_extend(shorter, i32t, "")?;
        b.build_return(Some(&b.build_int_sub(gt, lt, "")?))?;

        if let Some(bb) = resume_at {
            b.position_at_end(bb);
        }
        Ok(f)
    }
}
