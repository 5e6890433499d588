package crm

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"text/template/parse"
)

// checker walks a parsed template once, before it is ever executed. It
// rejects fields TemplateData does not have, wraps the values output
// actions print in checkFunc, and puts a tickFunc call at the top of
// every {{range}} body.
type checker struct {
	tree  *parse.Tree
	where string
	err   error
}

// scope is what the walk knows at a point in the template: the type of
// dot and the variables in scope. A nil type means unknown (the result of
// a function); nothing below it is checked.
type scope struct {
	dot reflect.Type
	// dotName is how dot is written from the top, for error messages:
	// ".Terms" inside {{with .Terms}}, "" at the top or when unknown.
	dotName string
	vars    []variable
}

type variable struct {
	name string
	typ  reflect.Type
	// path is how the variable's value is written from the top
	// (".Terms" for $t := .Terms), or "" when it is not a field.
	path string
}

// child is a scope for a nested block: declarations inside it do not leak
// out, as in text/template.
func (s *scope) child() *scope {
	c := *s
	c.vars = slices.Clip(s.vars)
	return &c
}

func (s *scope) lookup(name string) variable {
	for i := len(s.vars) - 1; i >= 0; i-- {
		if s.vars[i].name == name {
			return s.vars[i]
		}
	}
	return variable{name: name}
}

func (c *checker) fail(n parse.Node, format string, args ...any) {
	if c.err == nil {
		c.err = &TemplateError{Source: c.where, Line: lineOf(c.tree, n), Msg: fmt.Sprintf(format, args...)}
	}
}

func (c *checker) list(l *parse.ListNode, s *scope) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		if c.err != nil {
			return
		}
		c.node(n, s)
	}
}

func (c *checker) node(n parse.Node, s *scope) {
	switch n := n.(type) {
	case *parse.TextNode, *parse.CommentNode, *parse.BreakNode, *parse.ContinueNode:
	case *parse.ActionNode:
		c.pipe(n.Pipe, s, false)
		if len(n.Pipe.Decl) == 0 && c.err == nil {
			c.guardOutput(n.Pipe, s)
		}
	case *parse.IfNode:
		in := s.child()
		c.pipe(n.Pipe, in, false)
		c.list(n.List, in.child())
		c.list(n.ElseList, in.child())
	case *parse.WithNode:
		in := s.child()
		typ, name := c.pipe(n.Pipe, in, false)
		body := in.child()
		body.dot, body.dotName = typ, name
		c.list(n.List, body)
		c.list(n.ElseList, in.child())
	case *parse.RangeNode:
		in := s.child()
		typ, _ := c.pipe(n.Pipe, in, true)
		key, elem := rangeTypes(typ)
		switch len(n.Pipe.Decl) {
		case 1:
			in.vars = append(in.vars, variable{name: n.Pipe.Decl[0].Ident[0], typ: elem})
		case 2:
			in.vars = append(in.vars,
				variable{name: n.Pipe.Decl[0].Ident[0], typ: key},
				variable{name: n.Pipe.Decl[1].Ident[0], typ: elem})
		}
		body := in.child()
		body.dot, body.dotName = elem, ""
		c.list(n.List, body)
		c.list(n.ElseList, in.child())
		if n.List == nil {
			n.List = &parse.ListNode{NodeType: parse.NodeList, Pos: n.Pos}
		}
		n.List.Nodes = slices.Insert(n.List.Nodes, 0, parse.Node(&parse.ActionNode{
			NodeType: parse.NodeAction, Pos: n.Pos,
			Pipe: pipeOf(n.Pos, parse.NewIdentifier(tickFunc).SetPos(n.Pos)),
		}))
	case *parse.TemplateNode:
		c.fail(n, "{{template}} is not supported: a template is one self-contained file")
	default:
		c.fail(n, "unexpected %s", n)
	}
}

// rangeTypes are the key and element types {{range}} yields over t.
func rangeTypes(t reflect.Type) (key, elem reflect.Type) {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return nil, nil
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return reflect.TypeFor[int](), t.Elem()
	case reflect.Map:
		return t.Key(), t.Elem()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return t, t
	}
	return nil, nil
}

// pipe checks a pipeline's fields and declares its variables; it returns
// the pipeline's type and, when the pipeline is one field, how that field
// is written from the top.
func (c *checker) pipe(p *parse.PipeNode, s *scope, isRange bool) (reflect.Type, string) {
	var typ reflect.Type
	var name string
	for i, cmd := range p.Cmds {
		typ, name = c.command(cmd, i > 0, s)
	}
	if len(p.Cmds) != 1 {
		name = ""
	}
	if !isRange && !p.IsAssign && len(p.Decl) == 1 {
		s.vars = append(s.vars, variable{name: p.Decl[0].Ident[0], typ: typ, path: name})
	}
	return typ, name
}

func (c *checker) command(cmd *parse.CommandNode, piped bool, s *scope) (reflect.Type, string) {
	for _, a := range cmd.Args[1:] {
		c.arg(a, s)
	}
	first := cmd.Args[0]
	if _, ok := first.(*parse.IdentifierNode); ok {
		return nil, "" // a function: what it returns is not checked
	}
	typ, name := c.arg(first, s)
	if len(cmd.Args) > 1 || piped {
		switch first.(type) {
		case *parse.FieldNode, *parse.VariableNode, *parse.ChainNode:
			c.fail(first, "%s is not a function; it cannot take arguments", first)
		}
	}
	return typ, name
}

// arg checks one operand and returns its type and field path.
func (c *checker) arg(n parse.Node, s *scope) (reflect.Type, string) {
	switch n := n.(type) {
	case *parse.FieldNode:
		return c.chain(n, s.dot, s.dotName, n.Ident)
	case *parse.VariableNode:
		v := s.lookup(n.Ident[0])
		prefix := v.path // "" for $, the top
		if prefix == "" && v.name != "$" {
			prefix = v.name
		}
		if len(n.Ident) == 1 {
			return v.typ, prefix
		}
		return c.chain(n, v.typ, prefix, n.Ident[1:])
	case *parse.ChainNode:
		typ, _ := c.arg(n.Node, s)
		typ, _ = c.chain(n, typ, "", n.Field)
		return typ, ""
	case *parse.PipeNode:
		return c.pipe(n, s, false)
	case *parse.DotNode:
		return s.dot, s.dotName
	}
	return nil, ""
}

// chain follows .A.B.C from a value of type base written as prefix,
// failing on a name the type does not have.
func (c *checker) chain(n parse.Node, base reflect.Type, prefix string, idents []string) (reflect.Type, string) {
	name := prefix + "." + strings.Join(idents, ".")
	t := base
	for i, id := range idents {
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t == nil {
			return nil, name
		}
		owner := prefix + "." + strings.Join(idents[:i], ".")
		owner = strings.TrimSuffix(owner, ".")
		switch t.Kind() {
		case reflect.Struct:
			f, ok := t.FieldByName(id)
			if !ok || !f.IsExported() {
				if owner == "" {
					c.fail(n, "unknown field %s.%s (the fields are %s)", prefix, strings.Join(idents[:i+1], "."), fieldNames(t))
				} else {
					c.fail(n, "unknown field %s.%s (%s has %s)", prefix, strings.Join(idents[:i+1], "."), owner, fieldNames(t))
				}
				return nil, name
			}
			t = f.Type
		case reflect.Map, reflect.Interface:
			return nil, name
		default:
			if owner == "" {
				owner = "{{.}}"
			}
			c.fail(n, "%s is %s and has no field %s", owner, kindWord(t), id)
			return nil, name
		}
	}
	return t, name
}

func fieldNames(t reflect.Type) string {
	var names []string
	for f := range t.Fields() {
		if f.IsExported() {
			names = append(names, f.Name)
		}
	}
	return strings.Join(names, ", ")
}

func kindWord(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Slice, reflect.Array:
		return "a list"
	}
	return "a " + t.Kind().String()
}

// guardOutput makes an output action check what it prints: every operand
// and, unless the action is a single operand, its final value.
func (c *checker) guardOutput(p *parse.PipeNode, s *scope) {
	whole := p.String()
	c.guardPipe(p, s, true)
	last := p.Cmds[len(p.Cmds)-1]
	if len(p.Cmds) == 1 && len(last.Args) == 1 && isOperand(last.Args[0]) {
		return // the operand itself is checked with printFunc
	}
	p.Cmds = append(p.Cmds, &parse.CommandNode{
		NodeType: parse.NodeCommand, Pos: last.Pos,
		Args: []parse.Node{parse.NewIdentifier(printFunc).SetPos(last.Pos), stringNode(last.Pos, whole)},
	})
}

// guardPipe wraps the operands of p's commands; printed says that p's
// value is what an output action prints.
func (c *checker) guardPipe(p *parse.PipeNode, s *scope, printed bool) {
	for i, cmd := range p.Cmds {
		switch fn := cmd.Args[0].(type) {
		case *parse.IdentifierNode:
			if decides[fn.Ident] {
				continue // and, or, eq…: their operands decide, the result is checked
			}
			for j := 1; j < len(cmd.Args); j++ {
				cmd.Args[j] = c.guardOperand(cmd.Args[j], s, checkFunc)
			}
		default:
			// A lone operand; with arguments it is a call of something that
			// is not a function, which text/template reports.
			if i == 0 && len(cmd.Args) == 1 {
				check := checkFunc
				if printed && len(p.Cmds) == 1 {
					check = printFunc
				}
				cmd.Args[0] = c.guardOperand(fn, s, check)
			}
		}
	}
}

func isOperand(n parse.Node) bool {
	switch n := n.(type) {
	case *parse.FieldNode, *parse.VariableNode, *parse.DotNode, *parse.ChainNode:
		return true
	case *parse.PipeNode:
		return len(n.Decl) == 0
	}
	return false
}

// guardOperand wraps n in (check "name" n).
func (c *checker) guardOperand(n parse.Node, s *scope, check string) parse.Node {
	if !isOperand(n) {
		return n
	}
	var name string
	switch n := n.(type) {
	case *parse.PipeNode:
		name = n.String()
		c.guardPipe(n, s, false)
	case *parse.ChainNode:
		name = n.String()
	default:
		_, name = c.arg(n, s) // how a field, variable or dot is written from the top
	}
	if name == "" {
		name = n.String()
	}
	pos := n.Position()
	return pipeOf(pos, parse.NewIdentifier(check).SetPos(pos), stringNode(pos, name), n)
}

// pipeOf builds the pipeline of one command. The nodes have no tree;
// text/template then falls back to the template's own for positions.
func pipeOf(pos parse.Pos, args ...parse.Node) *parse.PipeNode {
	return &parse.PipeNode{
		NodeType: parse.NodePipe, Pos: pos,
		Cmds: []*parse.CommandNode{{NodeType: parse.NodeCommand, Pos: pos, Args: args}},
	}
}

func stringNode(pos parse.Pos, s string) *parse.StringNode {
	return &parse.StringNode{NodeType: parse.NodeString, Pos: pos, Quoted: strconv.Quote(s), Text: s}
}
