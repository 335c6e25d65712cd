#compdef orderdesk
# zsh completion for orderdesk. Save it as _orderdesk in a directory of
# $fpath before compinit runs:
#   orderdesk completion zsh > ~/.zfunc/_orderdesk   # fpath+=(~/.zfunc) in ~/.zshrc
# or load it in ~/.zshrc after compinit: source <(orderdesk completion zsh)
# Each TAB runs `orderdesk __complete`, which reads the config and the local
# database (never a shop) and prints the candidates.

_orderdesk() {
    local -a args globals vals disp open_vals open_disp
    local i out line value desc prog=${words[1]}
    [[ $prog == '~/'* ]] && prog=$HOME/${prog#'~/'}
    args=("${(@Q)words[2,CURRENT-1]}" "${(Q)PREFIX}")
    # --config and --db of the line say which config and database to read.
    for ((i = 1; i < $#args; i++)); do
        case ${args[i]} in
        --config|-config|--db|-db) globals+=("${args[i]}" "${args[i+1]/#\~\//$HOME/}") ;;
        --config=*|-config=*|--db=*|-db=*) globals+=("${args[i]}") ;;
        esac
    done
    out=$("$prog" "${globals[@]}" __complete -- "${args[@]}" 2>/dev/null) || return 1
    for line in "${(@f)out}"; do
        [[ -z $line ]] && continue
        if [[ $line == :files ]]; then
            [[ $PREFIX == -*=* ]] && compset -P '*='  # --db=FILE
            _files
            return
        fi
        value=${line%%$'\t'*}
        desc=$value
        [[ $line == *$'\t'* ]] && desc="$value  -- ${line#*$'\t'}"
        if [[ $value == *[:=] ]]; then
            open_vals+=("$value") open_disp+=("$desc")
        else
            vals+=("$value") disp+=("$desc")
        fi
    done
    local ret=1
    (( $#vals )) && compadd -V orderdesk -l -d disp -a vals && ret=0
    (( $#open_vals )) && compadd -V orderdesk-open -S '' -l -d open_disp -a open_vals && ret=0
    return ret
}

if [[ ${zsh_eval_context[-1]} == loadautofunc ]]; then
    _orderdesk "$@"
else
    compdef _orderdesk orderdesk
fi
