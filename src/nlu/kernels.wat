;; Training kernels of the intent classifier (src/nlu/classifier.ts). Each f64x2 lane does the same
;; operations in the same order as the scalar code, so the weights are the same bit for bit.
(module
  (import "math" "exp" (func $exp (param f64) (result f64)))
  (memory (export "memory") 1)

  ;; Mean log-loss gradient over rows [0, n) into gw, gb. Rows are CSR: row r's features are
  ;; start[r]..start[r+1] in off (byte offsets of the feature's first weight) and val.
  (func (export "gradient")
    (param $n i32) (param $L i32) (param $start i32) (param $off i32) (param $val i32) (param $y i32)
    (param $w i32) (param $b i32) (param $gw i32) (param $gb i32) (param $p i32) (param $F i32)
    (local $r i32) (local $j i32) (local $je i32) (local $k i32) (local $k8 i32) (local $L8 i32)
    (local $acc v128) (local $q v128) (local $s f64) (local $max f64) (local $z f64) (local $e f64)
    (local $nf f64) (local $a i32) (local $pa i32)
    (local.set $L8 (i32.shl (local.get $L) (i32.const 3)))
    (local.set $nf (f64.convert_i32_s (local.get $n)))
    (memory.fill (local.get $gw) (i32.const 0) (i32.mul (local.get $F) (local.get $L8)))
    (memory.fill (local.get $gb) (i32.const 0) (local.get $L8))
    (local.set $r (i32.const 0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_s (local.get $r) (local.get $n)))
        (local.set $je (i32.load (i32.add (local.get $start) (i32.shl (i32.add (local.get $r) (i32.const 1)) (i32.const 2)))))
        ;; scores: p[k] = b[k] + sum_j w[f_j, k] * val_j, two labels at a time
        (local.set $k8 (i32.const 0))
        (block $pairs_done
          (loop $pairs
            (br_if $pairs_done (i32.gt_s (i32.add (local.get $k8) (i32.const 16)) (local.get $L8)))
            (local.set $acc (v128.load (i32.add (local.get $b) (local.get $k8))))
            (local.set $j (i32.load (i32.add (local.get $start) (i32.shl (local.get $r) (i32.const 2)))))
            (block $js_done
              (loop $js
                (br_if $js_done (i32.ge_s (local.get $j) (local.get $je)))
                (local.set $acc (f64x2.add (local.get $acc)
                  (f64x2.mul
                    (v128.load (i32.add (i32.add (local.get $w) (i32.load (i32.add (local.get $off) (i32.shl (local.get $j) (i32.const 2))))) (local.get $k8)))
                    (f64x2.splat (f64.load (i32.add (local.get $val) (i32.shl (local.get $j) (i32.const 3))))))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $js)))
            (v128.store (i32.add (local.get $p) (local.get $k8)) (local.get $acc))
            (local.set $k8 (i32.add (local.get $k8) (i32.const 16)))
            (br $pairs)))
        (if (i32.lt_s (local.get $k8) (local.get $L8))
          (then
            (local.set $s (f64.load (i32.add (local.get $b) (local.get $k8))))
            (local.set $j (i32.load (i32.add (local.get $start) (i32.shl (local.get $r) (i32.const 2)))))
            (block $jt_done
              (loop $jt
                (br_if $jt_done (i32.ge_s (local.get $j) (local.get $je)))
                (local.set $s (f64.add (local.get $s)
                  (f64.mul
                    (f64.load (i32.add (i32.add (local.get $w) (i32.load (i32.add (local.get $off) (i32.shl (local.get $j) (i32.const 2))))) (local.get $k8)))
                    (f64.load (i32.add (local.get $val) (i32.shl (local.get $j) (i32.const 3)))))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $jt)))
            (f64.store (i32.add (local.get $p) (local.get $k8)) (local.get $s))))
        ;; softmax, minus the one-hot label, over n
        (local.set $max (f64.const -inf))
        (local.set $k8 (i32.const 0))
        (block $m_done (loop $m
          (br_if $m_done (i32.ge_s (local.get $k8) (local.get $L8)))
          (local.set $e (f64.load (i32.add (local.get $p) (local.get $k8))))
          (if (f64.gt (local.get $e) (local.get $max)) (then (local.set $max (local.get $e))))
          (local.set $k8 (i32.add (local.get $k8) (i32.const 8)))
          (br $m)))
        (local.set $z (f64.const 0))
        (local.set $k8 (i32.const 0))
        (block $x_done (loop $x
          (br_if $x_done (i32.ge_s (local.get $k8) (local.get $L8)))
          (local.set $pa (i32.add (local.get $p) (local.get $k8)))
          (local.set $e (call $exp (f64.sub (f64.load (local.get $pa)) (local.get $max))))
          (f64.store (local.get $pa) (local.get $e))
          (local.set $z (f64.add (local.get $z) (local.get $e)))
          (local.set $k8 (i32.add (local.get $k8) (i32.const 8)))
          (br $x)))
        (local.set $k8 (i32.const 0))
        (block $d_done (loop $d
          (br_if $d_done (i32.ge_s (local.get $k8) (local.get $L8)))
          (local.set $pa (i32.add (local.get $p) (local.get $k8)))
          (f64.store (local.get $pa) (f64.div (f64.load (local.get $pa)) (local.get $z)))
          (local.set $k8 (i32.add (local.get $k8) (i32.const 8)))
          (br $d)))
        (local.set $pa (i32.add (local.get $p) (i32.shl (i32.load (i32.add (local.get $y) (i32.shl (local.get $r) (i32.const 2)))) (i32.const 3))))
        (f64.store (local.get $pa) (f64.sub (f64.load (local.get $pa)) (f64.const 1)))
        (local.set $k8 (i32.const 0))
        (block $g_done (loop $g
          (br_if $g_done (i32.ge_s (local.get $k8) (local.get $L8)))
          (local.set $pa (i32.add (local.get $p) (local.get $k8)))
          (local.set $e (f64.div (f64.load (local.get $pa)) (local.get $nf)))
          (f64.store (local.get $pa) (local.get $e))
          (local.set $a (i32.add (local.get $gb) (local.get $k8)))
          (f64.store (local.get $a) (f64.add (f64.load (local.get $a)) (local.get $e)))
          (local.set $k8 (i32.add (local.get $k8) (i32.const 8)))
          (br $g)))
        ;; gw[f_j, k] += p[k] * val_j
        (local.set $k8 (i32.const 0))
        (block $ap_done
          (loop $ap
            (br_if $ap_done (i32.gt_s (i32.add (local.get $k8) (i32.const 16)) (local.get $L8)))
            (local.set $q (v128.load (i32.add (local.get $p) (local.get $k8))))
            (local.set $j (i32.load (i32.add (local.get $start) (i32.shl (local.get $r) (i32.const 2)))))
            (block $aj_done
              (loop $aj
                (br_if $aj_done (i32.ge_s (local.get $j) (local.get $je)))
                (local.set $a (i32.add (i32.add (local.get $gw) (i32.load (i32.add (local.get $off) (i32.shl (local.get $j) (i32.const 2))))) (local.get $k8)))
                (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a))
                  (f64x2.mul (local.get $q) (f64x2.splat (f64.load (i32.add (local.get $val) (i32.shl (local.get $j) (i32.const 3))))))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $aj)))
            (local.set $k8 (i32.add (local.get $k8) (i32.const 16)))
            (br $ap)))
        (if (i32.lt_s (local.get $k8) (local.get $L8))
          (then
            (local.set $e (f64.load (i32.add (local.get $p) (local.get $k8))))
            (local.set $j (i32.load (i32.add (local.get $start) (i32.shl (local.get $r) (i32.const 2)))))
            (block $at_done
              (loop $at
                (br_if $at_done (i32.ge_s (local.get $j) (local.get $je)))
                (local.set $a (i32.add (i32.add (local.get $gw) (i32.load (i32.add (local.get $off) (i32.shl (local.get $j) (i32.const 2))))) (local.get $k8)))
                (f64.store (local.get $a) (f64.add (f64.load (local.get $a))
                  (f64.mul (local.get $e) (f64.load (i32.add (local.get $val) (i32.shl (local.get $j) (i32.const 3)))))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $at)))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows))))

  ;; One Adam step over len weights: g += decay * x, then the usual moments and update.
  (func (export "adam")
    (param $x i32) (param $g i32) (param $m i32) (param $v i32) (param $len i32)
    (param $c1 f64) (param $c2 f64) (param $rate f64) (param $decay f64)
    (local $i i32) (local $end i32) (local $gi v128) (local $mi v128) (local $vi v128)
    (local $xi v128) (local $gs f64) (local $ms f64) (local $vs f64) (local $xs f64)
    (local.set $end (i32.shl (local.get $len) (i32.const 3)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $l
        (br_if $done (i32.gt_s (i32.add (local.get $i) (i32.const 16)) (local.get $end)))
        (local.set $xi (v128.load (i32.add (local.get $x) (local.get $i))))
        (local.set $gi (f64x2.add (v128.load (i32.add (local.get $g) (local.get $i))) (f64x2.mul (f64x2.splat (local.get $decay)) (local.get $xi))))
        (local.set $mi (f64x2.add (f64x2.mul (f64x2.splat (f64.const 0.9)) (v128.load (i32.add (local.get $m) (local.get $i)))) (f64x2.mul (f64x2.splat (f64.const 0.1)) (local.get $gi))))
        (local.set $vi (f64x2.add (f64x2.mul (f64x2.splat (f64.const 0.999)) (v128.load (i32.add (local.get $v) (local.get $i)))) (f64x2.mul (f64x2.mul (f64x2.splat (f64.const 0.001)) (local.get $gi)) (local.get $gi))))
        (v128.store (i32.add (local.get $m) (local.get $i)) (local.get $mi))
        (v128.store (i32.add (local.get $v) (local.get $i)) (local.get $vi))
        (v128.store (i32.add (local.get $x) (local.get $i))
          (f64x2.sub (local.get $xi)
            (f64x2.div (f64x2.mul (f64x2.splat (local.get $rate)) (f64x2.div (local.get $mi) (f64x2.splat (local.get $c1))))
              (f64x2.add (f64x2.sqrt (f64x2.div (local.get $vi) (f64x2.splat (local.get $c2)))) (f64x2.splat (f64.const 1e-8))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $l)))
    (if (i32.lt_s (local.get $i) (local.get $end))
      (then
        (local.set $xs (f64.load (i32.add (local.get $x) (local.get $i))))
        (local.set $gs (f64.add (f64.load (i32.add (local.get $g) (local.get $i))) (f64.mul (local.get $decay) (local.get $xs))))
        (local.set $ms (f64.add (f64.mul (f64.const 0.9) (f64.load (i32.add (local.get $m) (local.get $i)))) (f64.mul (f64.const 0.1) (local.get $gs))))
        (local.set $vs (f64.add (f64.mul (f64.const 0.999) (f64.load (i32.add (local.get $v) (local.get $i)))) (f64.mul (f64.mul (f64.const 0.001) (local.get $gs)) (local.get $gs))))
        (f64.store (i32.add (local.get $m) (local.get $i)) (local.get $ms))
        (f64.store (i32.add (local.get $v) (local.get $i)) (local.get $vs))
        (f64.store (i32.add (local.get $x) (local.get $i))
          (f64.sub (local.get $xs)
            (f64.div (f64.mul (local.get $rate) (f64.div (local.get $ms) (local.get $c1)))
              (f64.add (f64.sqrt (f64.div (local.get $vs) (local.get $c2))) (f64.const 1e-8))))))))
)
