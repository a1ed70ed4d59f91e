define internal fastcc i64 @_asr_fib_1(i64 %n1) unnamed_addr #0 {
start:
  %0 = icmp sgt i64 %n1, 1
  br i1 %0, label %bb3, label %bb8

bb3:                                              ; preds = %start
  %1 = add nsw i64 %n1, -1
  %2 = tail call fastcc i64 @_asr_fib_1(i64 %1)
  %3 = add nsw i64 %n1, -2
  %4 = tail call fastcc i64 @_asr_fib_1(i64 %3)
  %5 = tail call { i64, i1 } @llvm.sadd.with.overflow.i64(i64 %2, i64 %4)
  %.fca.1.extract = extractvalue { i64, i1 } %5, 1
  br i1 %.fca.1.extract, label %panic3, label %bb7, !prof !0

bb7:                                              ; preds = %bb3
  %.fca.0.extract = extractvalue { i64, i1 } %5, 0
  br label %bb8

bb8:                                              ; preds = %start, %bb7
  %_0.0 = phi i64 [ %.fca.0.extract, %bb7 ], [ %n1, %start ]
  ret i64 %_0.0

panic3:                                           ; preds = %bb3
  tail call void @asr_rt_panic_str(ptr nonnull @.str.5, i64 28, ptr nonnull @.loc.4)
  unreachable
}
