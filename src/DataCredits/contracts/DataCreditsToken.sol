// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title DePin.Wireless Data Credits token
/// @notice A plain ERC-20 (EIP-20) token with 8 decimals. Holders buy Data Credits for a payer
///         by burning tokens with burnForDataCredits; the off-chain DataCredits service watches
///         the DataCreditsBurned event and credits the payer after enough confirmations.
contract DataCreditsToken {
    string public constant name = "DePin Wireless Token";
    string public constant symbol = "DPWT";
    uint8 public constant decimals = 8;

    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);
    event DataCreditsBurned(address indexed burner, bytes32 indexed payerKey, uint256 amount);

    error InsufficientBalance(address account, uint256 available, uint256 required);
    error InsufficientAllowance(address spender, uint256 available, uint256 required);
    error ZeroAddress();
    error ZeroAmount();
    error ZeroPayer();

    constructor(uint256 initialSupply) {
        totalSupply = initialSupply;
        balanceOf[msg.sender] = initialSupply;
        emit Transfer(address(0), msg.sender, initialSupply);
    }

    function transfer(address to, uint256 value) external returns (bool) {
        _move(msg.sender, to, value);
        return true;
    }

    function approve(address spender, uint256 value) external returns (bool) {
        if (spender == address(0)) revert ZeroAddress();
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }

    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed != type(uint256).max) {
            if (allowed < value) revert InsufficientAllowance(msg.sender, allowed, value);
            unchecked {
                allowance[from][msg.sender] = allowed - value;
            }
        }
        _move(from, to, value);
        return true;
    }

    /// @notice Destroys `amount` of the caller's tokens in exchange for Data Credits for `payerKey`.
    function burnForDataCredits(bytes32 payerKey, uint256 amount) external {
        if (payerKey == bytes32(0)) revert ZeroPayer();
        if (amount == 0) revert ZeroAmount();
        uint256 held = balanceOf[msg.sender];
        if (held < amount) revert InsufficientBalance(msg.sender, held, amount);
        unchecked {
            balanceOf[msg.sender] = held - amount;
            totalSupply -= amount;
        }
        emit Transfer(msg.sender, address(0), amount);
        emit DataCreditsBurned(msg.sender, payerKey, amount);
    }

    function _move(address from, address to, uint256 value) private {
        if (to == address(0)) revert ZeroAddress();
        uint256 held = balanceOf[from];
        if (held < value) revert InsufficientBalance(from, held, value);
        unchecked {
            balanceOf[from] = held - value;
            balanceOf[to] += value;
        }
        emit Transfer(from, to, value);
    }
}
