;; A hand-written component exercising what ComponentReaderTests builds by hand, encoded
;; by wasm-tools (an independent encoder): inline-export core instances, canon built-ins
;; that add core funcs, a nested component, component instances of both kinds, exports
;; with and without type ascription, a core type section, and the component-name section.
(component $features
  (core type $empty-module (module))
  (type $host-type (instance (export "tick" (func))))
  (import "grain:plugin/host" (instance $host (type $host-type)))
  (type $res (resource (rep i32)))
  (core module $other (func (export "nop")))
  (core module $main
    (import "grain:plugin/host" "tick" (func))
    (import "grain:plugin/host" "drop" (func (param i32)))
    (memory (export "cm32p2_memory") 1)
    (func (export "cm32p2|grain:plugin/plugin|call-tool") (param i32 i32 i32 i32) (result i32) i32.const 0)
    (func (export "cm32p2|grain:plugin/plugin|call-tool_post") (param i32))
    (func (export "cm32p2|grain:plugin/plugin|init") (result i32) i32.const 0)
    (func (export "cm32p2_realloc") (param i32 i32 i32 i32) (result i32) i32.const 0))
  (core instance $o (instantiate $other))
  (alias export $host "tick" (func $tick))
  (core func $tick-lowered (canon lower (func $tick)))
  (core func $drop (canon resource.drop $res))
  (core func $ctx (canon context.get i32 0))
  (core func $new (canon waitable-set.new))
  (core instance $host-core (export "tick" (func $tick-lowered)) (export "drop" (func $drop)))
  (core instance $m (instantiate $main (with "grain:plugin/host" (instance $host-core))))
  (core instance $bundle
    (export "call" (func $m "cm32p2|grain:plugin/plugin|call-tool"))
    (export "mem" (memory $m "cm32p2_memory")))
  (alias core export $bundle "call" (core func $call))
  (alias core export $bundle "mem" (core memory $mem))
  (type $call-type (func (param "name" string) (param "args-json" string) (result string)))
  (func $call-tool (type $call-type)
    (canon lift (core func $call) (memory $mem) (realloc (core func $m "cm32p2_realloc")) string-encoding=utf8
      (post-return (core func $m "cm32p2|grain:plugin/plugin|call-tool_post"))))
  (type $init-type (func (result u32)))
  (func $init (type $init-type) (canon lift (core func $m "cm32p2|grain:plugin/plugin|init")))
  (component $inner)
  (instance $inner-instance (instantiate $inner))
  (instance $plugin (export "call-tool" (func $call-tool)) (export "init" (func $init)))
  (export "grain:plugin/plugin" (instance $plugin))
  (export "init" (func $init) (func (type $init-type)))
)
